package io.reseau.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.reseau.testing.Polling;
import io.reseau.testing.Resources;
import io.reseau.testing.UnansweredAddress;
import io.reseau.testing.WaitingThreads;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Interrupts and asynchronous closes of blocked calls, with the JDK's rules (java.net.Socket's
 * javadoc; the JDK's AsyncClose and Timeouts tests).
 */
@Timeout(60)
class InterruptAndCloseTest {
    @RegisterExtension
    final Resources resources = new Resources();

    private Peers.Pair pair() throws Exception {
        return resources.track(Peers.reseauPair());
    }

    /** What a blocked call ended with: its exception's message, and the thread's interrupt status then. */
    private static Peers.Call reporting(Peers.Call call) {
        return () -> {
            try {
                return "returned " + call.run();
            } catch (IOException e) {
                return e.getClass().getSimpleName() + ": " + e.getMessage() + ", interrupted=" + Thread.currentThread().isInterrupted();
            }
        };
    }

    private static Object interruptWhileBlocked(Peers.Call call) throws Exception {
        Thread[] thread = new Thread[1];
        CompletableFuture<Object> outcome = Peers.start(true, reporting(call), thread);
        WaitingThreads.await(thread[0]);
        thread[0].interrupt();
        return outcome.get(10, TimeUnit.SECONDS);
    }

    @Test
    void interruptingAVirtualThreadBlockedInReadClosesTheSocket() throws Exception {
        Peers.Pair pair = pair();
        assertThat(interruptWhileBlocked(() -> pair.client().getInputStream().read()))
                .isEqualTo("SocketException: Closed by interrupt, interrupted=true");
        assertThat(pair.client().isClosed()).isTrue();
    }

    @Test
    void interruptingAVirtualThreadBlockedInWriteClosesTheSocket() throws Exception {
        Peers.Pair pair = pair();
        assertThat(interruptWhileBlocked(() -> {
            pair.client().getOutputStream().write(Peers.bigWrite());
            return "written";
        })).isEqualTo("SocketException: Closed by interrupt, interrupted=true");
        assertThat(pair.client().isClosed()).isTrue();
    }

    @Test
    void interruptingAVirtualThreadBlockedInAcceptClosesTheServerSocket() throws Exception {
        ServerSocket server = resources.track(Peers.reseauListener());
        assertThat(interruptWhileBlocked(server::accept)).isEqualTo("SocketException: Closed by interrupt, interrupted=true");
        assertThat(server.isClosed()).isTrue();
    }

    @Test
    void interruptingAVirtualThreadBlockedInConnectClosesTheSocket() throws Exception {
        InetSocketAddress silent = UnansweredAddress.open(resources);
        Socket socket = resources.track(ReseauSocketFactory.getDefault().createSocket());
        assertThat(interruptWhileBlocked(() -> {
            socket.connect(silent);
            return "connected";
        })).isEqualTo("SocketException: Closed by interrupt, interrupted=true");
        assertThat(socket.isClosed()).isTrue();
    }

    @Test
    void anAlreadyInterruptedVirtualThreadFailsAtOnceWhereItWouldBlock() throws Exception {
        Peers.Pair pair = pair();
        ServerSocket server = resources.track(Peers.reseauListener());
        Object outcome = Peers.start(true, () -> {
            Thread.currentThread().interrupt();
            String read = (String) reporting(() -> pair.client().getInputStream().read()).run();
            String accept = (String) reporting(server::accept).run();
            return read + " / " + accept;
        }, new Thread[1]).get(10, TimeUnit.SECONDS);
        assertThat(outcome).isEqualTo("SocketException: Closed by interrupt, interrupted=true"
                + " / SocketException: Closed by interrupt, interrupted=true");
    }

    @Test
    void anInterruptDoesNotAbortAPlatformThreadsTimedRead() throws Exception {
        Peers.Pair pair = pair();
        pair.client().setSoTimeout(500);
        Thread[] thread = new Thread[1];
        long start = System.nanoTime();
        CompletableFuture<Object> outcome = Peers.start(false, reporting(() -> pair.client().getInputStream().read()), thread);
        WaitingThreads.await(thread[0]);
        thread[0].interrupt();
        assertThat(outcome.get(10, TimeUnit.SECONDS)).isEqualTo("SocketTimeoutException: Read timed out, interrupted=true");
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(500));
        assertThat(pair.client().isClosed()).isFalse();
    }

    @Test
    void anInterruptDoesNotAbortAPlatformThreadsTimedAccept() throws Exception {
        ServerSocket server = resources.track(Peers.reseauListener());
        server.setSoTimeout(500);
        Thread[] thread = new Thread[1];
        CompletableFuture<Object> outcome = Peers.start(false, reporting(server::accept), thread);
        WaitingThreads.await(thread[0]);
        thread[0].interrupt();
        assertThat(outcome.get(10, TimeUnit.SECONDS)).isEqualTo("SocketTimeoutException: Accept timed out, interrupted=true");
        assertThat(server.isClosed()).isFalse();
    }

    @Test
    void anInterruptedPlatformThreadWaitsParkedUntilItsReadHasBytes() throws Exception {
        Peers.Pair pair = pair();
        CompletableFuture<Object> outcome = interruptPlatformThreadWhileBlocked(() -> pair.client().getInputStream().read());
        pair.server().getOutputStream().write(7);
        assertThat(outcome.get(10, TimeUnit.SECONDS)).isEqualTo("returned 7");
        assertThat(pair.client().isClosed()).isFalse();
    }

    @Test
    void anInterruptedPlatformThreadWaitsParkedUntilItsWriteHasRoom() throws Exception {
        Peers.Pair pair = pair();
        byte[] big = Peers.bigWrite();
        CompletableFuture<Object> outcome = interruptPlatformThreadWhileBlocked(() -> {
            pair.client().getOutputStream().write(big);
            return "written";
        });
        assertThat(pair.server().getInputStream().readNBytes(big.length)).hasSize(big.length);
        assertThat(outcome.get(10, TimeUnit.SECONDS)).isEqualTo("returned written");
    }

    /**
     * Interrupts a platform thread blocked in {@code call} and checks that it waits on parked, not
     * spinning: a thread that took its interrupt status back at every wake-up would have its next
     * park return at once, again and again. The call's outcome is for the caller to bring about.
     */
    private static CompletableFuture<Object> interruptPlatformThreadWhileBlocked(Peers.Call call) throws Exception {
        Thread[] thread = new Thread[1];
        CompletableFuture<Object> outcome = Peers.start(false, () -> reporting(call).run() + (Thread.currentThread().isInterrupted()
                ? "" : " (interrupt status lost)"), thread);
        WaitingThreads.await(thread[0]);
        thread[0].interrupt();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long cpuBefore = threads.getThreadCpuTime(thread[0].threadId());
        Polling.assertStaysTrue(() -> !outcome.isDone(), Duration.ofMillis(500), "the call waits on");
        long cpuNanos = threads.getThreadCpuTime(thread[0].threadId()) - cpuBefore;
        assertThat(Duration.ofNanos(cpuNanos)).as("the caller's processor time while it waited").isLessThan(Duration.ofMillis(100));
        return outcome;
    }

    @ParameterizedTest(name = "virtual thread: {0}")
    @ValueSource(booleans = {true, false})
    void closeFromAnotherThreadFailsABlockedRead(boolean virtual) throws Exception {
        Peers.Pair pair = pair();
        assertThat(closeWhileBlocked(virtual, () -> pair.client().getInputStream().read(), pair.client()))
                .isEqualTo("SocketException: Socket closed, interrupted=false");
    }

    @ParameterizedTest(name = "virtual thread: {0}")
    @ValueSource(booleans = {true, false})
    void closeFromAnotherThreadFailsABlockedWrite(boolean virtual) throws Exception {
        Peers.Pair pair = pair();
        assertThat(closeWhileBlocked(virtual, () -> {
            pair.client().getOutputStream().write(Peers.bigWrite());
            return "written";
        }, pair.client())).isEqualTo("SocketException: Socket closed, interrupted=false");
    }

    @ParameterizedTest(name = "virtual thread: {0}")
    @ValueSource(booleans = {true, false})
    void closeFromAnotherThreadFailsABlockedAccept(boolean virtual) throws Exception {
        ServerSocket server = resources.track(Peers.reseauListener());
        assertThat(closeWhileBlocked(virtual, server::accept, server)).isEqualTo("SocketException: Socket closed, interrupted=false");
    }

    @ParameterizedTest(name = "virtual thread: {0}")
    @ValueSource(booleans = {true, false})
    void closeFromAnotherThreadFailsABlockedConnect(boolean virtual) throws Exception {
        InetSocketAddress silent = UnansweredAddress.open(resources);
        Socket socket = ReseauSocketFactory.getDefault().createSocket();
        assertThat(closeWhileBlocked(virtual, () -> {
            socket.connect(silent);
            return "connected";
        }, socket)).isEqualTo("SocketException: Socket closed, interrupted=false");
    }

    @ParameterizedTest(name = "virtual thread: {0}")
    @ValueSource(booleans = {true, false})
    void aTimedReadCanBeClosedToo(boolean virtual) throws Exception {
        Peers.Pair pair = pair();
        pair.client().setSoTimeout(60_000);
        assertThat(closeWhileBlocked(virtual, () -> pair.client().getInputStream().read(), pair.client()))
                .isEqualTo("SocketException: Socket closed, interrupted=false");
    }

    private static Object closeWhileBlocked(boolean virtual, Peers.Call call, AutoCloseable closed) throws Exception {
        Thread[] thread = new Thread[1];
        CompletableFuture<Object> outcome = Peers.start(virtual, reporting(call), thread);
        WaitingThreads.await(thread[0]);
        closed.close();
        return outcome.get(10, TimeUnit.SECONDS);
    }

    @Test
    void theSocketStaysUsableAfterAReadTimeout() throws Exception {
        Peers.Pair pair = pair();
        pair.client().setSoTimeout(100);
        try {
            pair.client().getInputStream().read();
            throw new AssertionError("no timeout");
        } catch (SocketTimeoutException expected) {
            assertThat(expected).hasMessage("Read timed out");
        }
        pair.server().getOutputStream().write(42);
        assertThat(pair.client().getInputStream().read()).isEqualTo(42);
        pair.client().setSoTimeout(0);
        pair.server().getOutputStream().write(43);
        assertThat(pair.client().getInputStream().read()).isEqualTo(43);
    }

    @Test
    void pgjdbcStylePeeksWithAOneMillisecondTimeoutLeaveTheStreamIntact() throws Exception {
        Peers.Pair pair = pair();
        var in = pair.client().getInputStream();
        byte[] expected = new byte[10_000];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = (byte) (i * 7);
        }
        Thread.ofVirtual().start(() -> {
            try {
                for (int i = 0; i < expected.length; i += 1000) {
                    pair.server().getOutputStream().write(expected, i, 1000);
                    Thread.sleep(2); // pacing only: the reader peeks between chunks; any timing passes
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        byte[] received = new byte[expected.length];
        int total = 0;
        while (total < expected.length) {
            pair.client().setSoTimeout(1); // "is a message pending?"
            try {
                int n = in.read(received, total, 1);
                if (n > 0) {
                    total += n;
                }
            } catch (SocketTimeoutException nothingYet) {
                // as pgjdbc: not an error, nothing is lost
            }
            pair.client().setSoTimeout(0);
            if (in.available() > 0) {
                total += in.read(received, total, Math.min(in.available(), expected.length - total));
            }
        }
        assertThat(received).isEqualTo(expected);
    }
}
