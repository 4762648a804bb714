package io.reseau.socket;

import static org.assertj.core.api.Assertions.assertThat;

import io.reseau.common.IoError;
import io.reseau.testing.DescriptorLimit;
import io.reseau.testing.LogCapture;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A listening socket's accepting: it stops when told, from its loop (at once, the backlog left
 * queued) or from any thread, and accepts again when started again; out of descriptors it keeps
 * its backlog and accepts it once descriptors are free.
 */
@Timeout(60)
class AcceptorTest {
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    /** How long a listener that stopped is watched for an accept it should not make. */
    private static final long QUIET_MILLIS = 300;

    @Test
    void stoppingInsideTheCallbackLeavesTheBacklogQueuedUntilAcceptingStartsAgain() throws Exception {
        AcceptedSockets accepted = new AcceptedSockets();
        List<SocketChannel> clients = new ArrayList<>();
        try (LoopFixture fixture = new LoopFixture("accept-stop-inside")) {
            Socket listener = new Socket(SocketOptions.tcp(SocketDomain.IPV4));
            try {
                listener.bind(LOOPBACK);
                listener.listen(16);
                for (int i = 0; i < 3; i++) { // all three in the kernel's backlog before accepting starts
                    clients.add(SocketChannel.open(listener.localAddress()));
                }
                listener.startAccept(fixture.loop, (l, socket, error) -> {
                    accepted.onAcceptResult(l, socket, error);
                    l.stopAccept();
                });
                assertThat(accepted.next(5_000)).as("the first queued connection").isNotNull();
                assertThat(accepted.next(QUIET_MILLIS))
                        .as("nothing accepted once the callback stopped accepting").isNull();

                listener.startAccept(fixture.loop, accepted);
                assertThat(accepted.next(5_000)).as("the second, when accepting starts again").isNotNull();
                assertThat(accepted.next(5_000)).as("the third").isNotNull();
            } finally {
                listener.close();
                accepted.closeAll();
                for (SocketChannel client : clients) {
                    client.close();
                }
            }
        }
    }

    @Test
    void stoppingFromAnotherThreadAcceptsNothingMoreUntilAcceptingStartsAgain() throws Exception {
        AcceptedSockets accepted = new AcceptedSockets();
        try (LoopFixture fixture = new LoopFixture("accept-stop-outside");
                SocketChannel before = SocketChannel.open();
                SocketChannel after = SocketChannel.open()) {
            Socket listener = new Socket(SocketOptions.tcp(SocketDomain.IPV4));
            try {
                listener.bind(LOOPBACK);
                listener.listen(16);
                listener.startAccept(fixture.loop, accepted);
                before.connect(listener.localAddress());
                assertThat(accepted.next(5_000)).as("accepted while accepting").isNotNull();

                listener.stopAccept();
                listener.stopAccept(); // twice: nothing to stop the second time
                after.connect(listener.localAddress()); // the kernel completes it into the backlog
                assertThat(accepted.next(QUIET_MILLIS))
                        .as("nothing accepted after stopAccept returned").isNull();
                assertThat(listener.isOpen()).as("the listener stays bound").isTrue();

                listener.startAccept(fixture.loop, accepted);
                assertThat(accepted.next(5_000)).as("the waiting one, once accepting starts again").isNotNull();
            } finally {
                listener.close();
                accepted.closeAll();
            }
        }
    }

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

    /** Accepted sockets in arrival order, each kept until the test closes them all, taken or not. */
    private static final class AcceptedSockets implements AcceptListener {
        private final BlockingQueue<Socket> arrived = new LinkedBlockingQueue<>();
        private final List<Socket> all = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void onAcceptResult(Socket listener, Socket accepted, IoError error) {
            if (accepted != null) { // a failed accept is not expected here: the connection then never arrives
                all.add(accepted);
                arrived.add(accepted);
            }
        }

        /** The next accepted socket, or null if none arrives within {@code millis}. */
        Socket next(long millis) throws InterruptedException {
            return arrived.poll(millis, TimeUnit.MILLISECONDS);
        }

        void closeAll() {
            all.forEach(Socket::close);
        }
    }
}
