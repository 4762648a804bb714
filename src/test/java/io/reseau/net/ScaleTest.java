package io.reseau.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.reseau.channel.MessagePool;
import io.reseau.dns.SystemHostResolver;
import io.reseau.eventloop.EventLoop;
import io.reseau.eventloop.EventLoopGroup;
import io.reseau.eventloop.Task;
import io.reseau.testing.FdCount;
import io.reseau.testing.Polling;
import java.io.DataInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** 10,000 virtual threads, 5,000 connections, 100 echo round trips each: all checked, nothing left. */
@Timeout(300)
class ScaleTest {
    private static final int CONNECTIONS = 5_000;
    private static final int ROUND_TRIPS = 100;
    private static final int MESSAGE = 64;

    @Test
    void fiveThousandConnectionsEchoAndLeaveNothingBehind() throws Exception {
        long fdsBefore = FdCount.now();
        long threadsBefore = platformThreads();
        EventLoopGroup group = new EventLoopGroup(2);
        SystemHostResolver resolver = new SystemHostResolver();
        ReseauSocketFactory clients = ReseauSocketFactory.of(group, resolver);
        AtomicLong echoedBytes = new AtomicLong();
        try (ServerSocket server = ReseauServerSocketFactory.of(group, resolver)
                .createServerSocket(0, CONNECTIONS, InetAddress.getLoopbackAddress())) {
            List<Thread> threads = new ArrayList<>();
            List<CompletableFuture<Void>> outcomes = new ArrayList<>();
            for (int i = 0; i < CONNECTIONS; i++) {
                CompletableFuture<Void> served = new CompletableFuture<>();
                outcomes.add(served);
                threads.add(Thread.ofVirtual().start(() -> {
                    try (Socket peer = server.accept()) {
                        InputStream in = peer.getInputStream();
                        OutputStream out = peer.getOutputStream();
                        byte[] buffer = new byte[MESSAGE];
                        for (int r = 0; r < ROUND_TRIPS; r++) {
                            new DataInputStream(in).readFully(buffer);
                            out.write(buffer);
                            echoedBytes.addAndGet(MESSAGE);
                        }
                        served.complete(null);
                    } catch (Throwable t) {
                        served.completeExceptionally(t);
                    }
                }));
            }
            for (int i = 0; i < CONNECTIONS; i++) {
                int id = i;
                CompletableFuture<Void> done = new CompletableFuture<>();
                outcomes.add(done);
                threads.add(Thread.ofVirtual().start(() -> {
                    try (Socket socket = clients.createSocket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
                        InputStream in = socket.getInputStream();
                        OutputStream out = socket.getOutputStream();
                        byte[] sent = new byte[MESSAGE];
                        byte[] received = new byte[MESSAGE];
                        for (int r = 0; r < ROUND_TRIPS; r++) {
                            for (int b = 0; b < MESSAGE; b++) {
                                sent[b] = (byte) (id * 31 + r * 7 + b);
                            }
                            out.write(sent);
                            new DataInputStream(in).readFully(received);
                            if (!java.util.Arrays.equals(sent, received)) {
                                throw new AssertionError("connection " + id + ", round trip " + r + ": wrong echo");
                            }
                        }
                        done.complete(null);
                    } catch (Throwable t) {
                        done.completeExceptionally(t);
                    }
                }));
            }
            CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new)).get(240, TimeUnit.SECONDS);
            for (Thread thread : threads) {
                thread.join();
            }
        }
        assertThat(echoedBytes).hasValue((long) CONNECTIONS * ROUND_TRIPS * MESSAGE);
        awaitNoMessagesInUse(group);
        group.close();
        resolver.close();
        // At most as many: a connection of an earlier test may still close meanwhile (a failed TLS
        // handshake closes after s2n's blinding delay, up to 30 s later).
        assertThat(FdCount.now()).as("file descriptors").isLessThanOrEqualTo(fdsBefore);
        awaitPlatformThreads(threadsBefore);
    }

    /** Closing is asynchronous on the loops: wait until every pooled message is back. */
    private static void awaitNoMessagesInUse(EventLoopGroup group) throws Exception {
        assertThat(Polling.until(() -> messagesInUse(group), inUse -> inUse == 0, Duration.ofSeconds(20)))
                .as("pooled native messages still held").isZero();
    }

    private static long messagesInUse(EventLoopGroup group) throws Exception {
        long inUse = 0;
        for (EventLoop loop : group.loops()) {
            CompletableFuture<Long> count = new CompletableFuture<>();
            loop.scheduleNow(new Task("count", s -> count.complete(MessagePool.PER_LOOP.get(loop).messagesInUse())));
            inUse += count.get(5, TimeUnit.SECONDS);
        }
        return inUse;
    }

    private static void awaitPlatformThreads(long expected) throws InterruptedException {
        assertThat(Polling.until(ScaleTest::platformThreads, count -> count <= expected, Duration.ofSeconds(20)))
                .as("platform threads").isLessThanOrEqualTo(expected);
    }

    private static long platformThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.isAlive() && !t.isDaemon() || t.getName().startsWith("reseau")).count();
    }
}
