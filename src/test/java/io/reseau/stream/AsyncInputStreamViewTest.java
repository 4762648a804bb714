package io.reseau.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.reseau.common.IoError;
import io.reseau.future.IoFuture;
import io.reseau.stream.AsyncInputStreamTester.Completion;
import io.reseau.testing.BlockedCaller;
import io.reseau.testing.Polling;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * AsyncInputStream.asInputStream(): blocking reads on virtual and platform threads, with the
 * blocking sockets' interrupt and close rules.
 */
@Timeout(60)
class AsyncInputStreamViewTest {
    private static final Duration STAYS_BLOCKED = Duration.ofMillis(300);

    /** A stream whose reads complete when the test says, and which records being closed. */
    private static final class ManualStream extends AsyncInputStream {
        private volatile IoFuture<Boolean> read;
        private volatile ByteBuffer destination;
        volatile boolean closed;

        @Override
        protected IoFuture<Boolean> readSome(ByteBuffer into) {
            destination = into;
            IoFuture<Boolean> future = IoFuture.create();
            read = future;
            return future;
        }

        boolean reading() {
            return read != null && !read.isDone();
        }

        void complete(String bytes, boolean end) {
            destination.put(bytes.getBytes(StandardCharsets.US_ASCII));
            read.setResult(end);
        }

        void fail(IoError error) {
            read.setError(error);
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    /** Each test's stream under control and its view (JUnit makes a test instance per test). */
    private final ManualStream stream = new ManualStream();
    private final InputStream in = stream.asInputStream();

    private static String readSome(InputStream in) throws IOException {
        byte[] bytes = new byte[64];
        int count = in.read(bytes);
        return count < 0 ? "end" : new String(bytes, 0, count, StandardCharsets.US_ASCII);
    }

    @ParameterizedTest(name = "virtual={0}")
    @ValueSource(booleans = {true, false})
    void readsEverythingAStreamCompletingOnAnotherThreadHas(boolean virtual) throws Exception {
        InputStreamTesterOptions options = InputStreamTesterOptions
                .generating(200_000, InputStreamTesterOptions.Autogen.LOREM_IPSUM).maxBytesPerRead(1000);
        try (InputStream in = new AsyncInputStreamTester(options, Completion.ON_RANDOM_THREAD).asInputStream()) {
            BlockedCaller caller = BlockedCaller.start(virtual,
                    () -> java.util.Arrays.equals(in.readAllBytes(), options.generated()));
            assertThat(caller.outcome()).isEqualTo("returned true, interrupted=false");
        }
    }

    @ParameterizedTest(name = "virtual={0}")
    @ValueSource(booleans = {true, false})
    void aReadWaitsForTheStream(boolean virtual) throws Exception {
        BlockedCaller caller = BlockedCaller.blocked(virtual, () -> readSome(in));
        assertThat(stream.reading()).isTrue();
        stream.complete("hello", false);
        assertThat(caller.outcome()).isEqualTo("returned hello, interrupted=false");
        BlockedCaller last = BlockedCaller.blocked(virtual, () -> readSome(in) + " " + readSome(in));
        stream.complete("!", true);
        assertThat(last.outcome()).as("the end comes after the bytes read with it").isEqualTo("returned ! end, interrupted=false");
    }

    @Test
    void bytesBufferedByOneReadServeTheNextWithoutAnotherStreamRead() throws Exception {
        BlockedCaller caller = BlockedCaller.blocked(true, in::read);
        stream.complete("xyz", false);
        assertThat(caller.outcome()).isEqualTo("returned " + (int) 'x' + ", interrupted=false");
        IoFuture<Boolean> first = stream.read;
        assertThat(readSome(in)).isEqualTo("yz");
        assertThat(stream.read).as("no new read").isSameAs(first);
    }

    @Test
    void interruptingAVirtualThreadEndsItsReadAndLosesNoBytes() throws Exception {
        BlockedCaller caller = BlockedCaller.blocked(true, () -> readSome(in));
        caller.thread().interrupt();
        assertThat(caller.outcome())
                .isEqualTo("InterruptedIOException: interrupted while waiting for a future, interrupted=true");
        IoFuture<Boolean> pending = stream.read;
        stream.complete("kept", false);
        BlockedCaller next = BlockedCaller.start(true, () -> readSome(in));
        assertThat(next.outcome()).isEqualTo("returned kept, interrupted=false");
        assertThat(stream.read).as("the interrupted read was picked up, not read again").isSameAs(pending);
    }

    @Test
    void interruptingAPlatformThreadDoesNotEndItsRead() throws Exception {
        BlockedCaller caller = BlockedCaller.blocked(false, () -> readSome(in));
        caller.thread().interrupt();
        Polling.assertStaysTrue(() -> !caller.hasEnded(), STAYS_BLOCKED, "the interrupted platform thread reads on");
        stream.complete("late", false);
        assertThat(caller.outcome()).isEqualTo("returned late, interrupted=true");
    }

    @ParameterizedTest(name = "virtual={0}")
    @ValueSource(booleans = {true, false})
    void closingTheViewFailsABlockedReadAndClosesTheStream(boolean virtual) throws Exception {
        BlockedCaller caller = BlockedCaller.blocked(virtual, () -> readSome(in));
        in.close();
        assertThat(caller.outcome()).isEqualTo("IOException: Stream closed, interrupted=false");
        assertThat(stream.closed).isTrue();
        BlockedCaller after = BlockedCaller.start(virtual, () -> readSome(in));
        assertThat(after.outcome()).isEqualTo("IOException: Stream closed, interrupted=false");
    }

    @ParameterizedTest(name = "virtual={0}")
    @ValueSource(booleans = {true, false})
    void aFailedReadIsReported(boolean virtual) throws Exception {
        BlockedCaller caller = BlockedCaller.blocked(virtual, () -> readSome(in));
        stream.fail(IoError.STREAM_READ_FAILED);
        assertThat(caller.outcome()).isEqualTo("IoErrorException: the future failed: "
                + IoError.STREAM_READ_FAILED + ", interrupted=false");
    }

    @Test
    void testerThreadsEndWithTheirStreams() throws Exception {
        List<Thread> testerThreads = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            AsyncInputStreamTester tester = new AsyncInputStreamTester(
                    InputStreamTesterOptions.streaming("stream " + i), Completion.ON_ANOTHER_THREAD);
            testerThreads.add(tester.thread());
            try (InputStream in = tester.asInputStream()) {
                assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("stream " + i);
            }
        }
        assertThat(testerThreads).noneMatch(Thread::isAlive);
    }
}
