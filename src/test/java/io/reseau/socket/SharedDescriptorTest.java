package io.reseau.socket;

import static org.assertj.core.api.Assertions.assertThat;

import io.reseau.internal.ffi.SocketCalls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SharedDescriptorTest {

    @Test
    void closeWithNoCallInProgressClosesAtOnceAndRefusesLaterCalls() throws IOException {
        int fd = newSocket();
        String opened = describe(fd);
        SharedDescriptor shared = new SharedDescriptor(fd);

        shared.close(false);

        assertThat(describe(fd)).as("descriptor %d after close", fd).isNotEqualTo(opened);
        assertThat(shared.enter()).isFalse();
    }

    @Test
    void closeDuringCallsLeavesTheDescriptorToTheLastCallOut() throws IOException {
        int fd = newSocket();
        String opened = describe(fd);
        SharedDescriptor shared = new SharedDescriptor(fd);
        assertThat(shared.enter()).isTrue();
        assertThat(shared.enter()).isTrue();

        shared.close(false);
        assertThat(shared.enter()).as("a call starting after close").isFalse();
        assertThat(describe(fd)).as("open under two calls").isEqualTo(opened);
        shared.exit();
        assertThat(describe(fd)).as("open under the last call").isEqualTo(opened);
        shared.exit();

        assertThat(describe(fd)).as("after the last call out").isNotEqualTo(opened);
    }

    @Test
    void aLingeringCloseTellsWhenTheDescriptorIsClosed() throws Exception {
        int fd = newSocket();
        String opened = describe(fd);
        SharedDescriptor shared = new SharedDescriptor(fd);
        CompletableFuture<Void> askedBefore = shared.whenClosed();
        assertThat(askedBefore).isNotDone();

        shared.close(true);

        askedBefore.get(10, TimeUnit.SECONDS);
        assertThat(describe(fd)).isNotEqualTo(opened);
        assertThat(shared.whenClosed()).as("asked after").isDone();
    }

    private static int newSocket() {
        int fd = SocketCalls.socket(SocketCalls.AF_INET, SocketCalls.SOCK_STREAM | SocketCalls.SOCK_CLOEXEC, 0);
        assertThat(fd).isNotNegative();
        return fd;
    }

    /** What the descriptor refers to ("socket:[inode]"), or "closed": a reused number shows another inode. */
    private static String describe(int fd) throws IOException {
        Path link = Path.of("/proc/self/fd", Integer.toString(fd));
        return Files.exists(link, LinkOption.NOFOLLOW_LINKS) ? Files.readSymbolicLink(link).toString() : "closed";
    }
}
