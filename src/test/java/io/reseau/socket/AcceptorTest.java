package io.reseau.socket;

import static org.assertj.core.api.Assertions.assertThat;

import io.reseau.common.IoError;
import io.reseau.testing.DescriptorLimit;
import io.reseau.testing.LogCapture;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A listening socket out of descriptors keeps its backlog and accepts it once descriptors are free. */
@Timeout(60)
class AcceptorTest {
    @Test
    void aListenerOutOfDescriptorsRetriesByItselfAndAcceptsTheQueuedConnectionOnceTheyAreFree() throws Exception {
        BlockingQueue<Object> results = new LinkedBlockingQueue<>(); // accepted Sockets and IoErrors, in order
        try (LoopFixture fixture = new LoopFixture("accept-retry");
                LogCapture log = LogCapture.of(Socket.class);
                SocketChannel client = SocketChannel.open()) { // its descriptor before there are none
            Socket listener = new Socket(SocketOptions.tcp(SocketDomain.IPV4));
            try {
                listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                listener.listen(16);
                listener.startAccept(fixture.loop, (l, accepted, error) -> results.add(accepted != null ? accepted : error));
                // Nothing in the window may need a descriptor: the assertions come after it.
                List<Object> failures = new ArrayList<>();
                Object first;
                try (DescriptorLimit limit = DescriptorLimit.exhausted()) {
                    client.connect(listener.localAddress());
                    // One failure from the connection's edge, then the listener's own retries.
                    Object failure;
                    do {
                        failure = results.poll(5, TimeUnit.SECONDS);
                        failures.add(failure);
                    } while (failure != null && failures.size() < 3);
                    limit.free();
                    first = nextAccepted(results);
                }
                assertThat(failures).containsOnly(IoError.MAX_FDS_EXCEEDED);
                assertThat(first).as("the queued connection, accepted once descriptors were free")
                        .isInstanceOf(Socket.class);
                ((Socket) first).close();
                assertThat(log.entries()).filteredOn(entry -> entry.startsWith("WARNING")).singleElement()
                        .asString().contains("EMFILE");
            } finally {
                listener.close();
            }
        }
    }

    /** The next accepted socket, past the failures reported while the retry ran into the limit; null if none within 5 s. */
    private static Object nextAccepted(BlockingQueue<Object> results) throws InterruptedException {
        Object next;
        do {
            next = results.poll(5, TimeUnit.SECONDS);
        } while (next == IoError.MAX_FDS_EXCEEDED);
        return next;
    }
}
