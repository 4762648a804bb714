package io.reseau.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.reseau.testing.Resources;
import io.reseau.testing.TestPki;
import io.reseau.testing.TestPki.Kind;
import io.reseau.testing.WaitingThreads;
import io.reseau.tls.ReseauProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Several threads reading, or writing, one socket at once, as the JDK allows: every byte reaches
 * exactly one reader, one write's bytes are never interleaved with another's, and a close wakes
 * every caller (the JDK's asyncClose/Race). Each case runs on the JDK's sockets and JSSE too.
 */
@Timeout(120)
class ConcurrentCallersTest {
    private static TestPki pki;
    @RegisterExtension
    final Resources resources = new Resources();

    /** The stacks each case runs on: plain or TLS, the JDK's or Reseau's. */
    enum Stack {
        JDK, RESEAU, JSSE, RESEAU_TLS;

        /** A connected pair, the handshake done on TLS stacks. */
        Socket[] connect(Resources resources) throws Exception {
            ServerSocket listener = switch (this) {
                case JDK -> new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                case RESEAU -> ReseauServerSocketFactory.getDefault().createServerSocket(0, 50, InetAddress.getLoopbackAddress());
                case JSSE, RESEAU_TLS -> context(true).getServerSocketFactory()
                        .createServerSocket(0, 50, InetAddress.getLoopbackAddress());
            };
            resources.track(listener);
            CompletableFuture<Socket> accepted = CompletableFuture.supplyAsync(() -> {
                try {
                    Socket socket = listener.accept();
                    if (socket instanceof SSLSocket tls) {
                        tls.startHandshake();
                    }
                    return socket;
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }, runnable -> Thread.ofVirtual().start(runnable));
            Socket client = switch (this) {
                case JDK -> new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort());
                case RESEAU -> ReseauSocketFactory.getDefault().createSocket(InetAddress.getLoopbackAddress(), listener.getLocalPort());
                case JSSE, RESEAU_TLS -> context(false).getSocketFactory().createSocket("localhost", listener.getLocalPort());
            };
            resources.track(client);
            if (client instanceof SSLSocket tls) {
                tls.startHandshake();
            }
            Socket server = resources.track(accepted.get(30, TimeUnit.SECONDS));
            return new Socket[] {client, server};
        }

        private SSLContext context(boolean server) {
            ReseauProvider provider = this == RESEAU_TLS ? new ReseauProvider() : null;
            return server ? pki.serverContext(Kind.SERVER_EC256, provider) : pki.clientContext(null, provider);
        }
    }

    @BeforeAll
    static void generatePki(@TempDir Path dir) {
        pki = TestPki.generate(dir);
    }

    static List<Arguments> stacksAndCallers() {
        return cases(List.of(Stack.values()));
    }

    /**
     * JSSE is no baseline here: a reader that follows another's end of stream gets "Connection or
     * inbound has closed" instead of -1, and a close with writers blocked on a silent peer leaves
     * its callers blocked.
     */
    static List<Arguments> stacksButJsseAndCallers() {
        return cases(List.of(Stack.JDK, Stack.RESEAU, Stack.RESEAU_TLS));
    }

    private static List<Arguments> cases(List<Stack> stacks) {
        List<Arguments> cases = new ArrayList<>();
        for (Stack stack : stacks) {
            for (int callers : new int[] {2, 8, 100}) {
                cases.add(Arguments.of(stack, callers));
            }
        }
        return cases;
    }

    static List<Stack> stacks() {
        return List.of(Stack.values());
    }

    /** The torture run's case: two readers parked, the peer writes one byte, then another. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("stacks")
    void twoParkedReadersEachGetOneOfTwoBytes(Stack stack) throws Exception {
        Socket[] pair = stack.connect(resources);
        InputStream in = pair[0].getInputStream();
        List<Thread> readers = new ArrayList<>();
        List<CompletableFuture<Integer>> reads = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            CompletableFuture<Integer> read = new CompletableFuture<>();
            reads.add(read);
            readers.add(Thread.ofVirtual().start(() -> {
                try {
                    read.complete(in.read());
                } catch (Throwable t) {
                    read.completeExceptionally(t);
                }
            }));
        }
        WaitingThreads.awaitAll(readers);
        OutputStream out = pair[1].getOutputStream();
        out.write(1);
        out.flush();
        CompletableFuture.anyOf(reads.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        out.write(2);
        out.flush();
        List<Integer> got = new ArrayList<>();
        for (CompletableFuture<Integer> read : reads) {
            got.add(read.get(10, TimeUnit.SECONDS));
        }
        assertThat(got).containsExactlyInAnyOrder(1, 2);
    }

    @ParameterizedTest(name = "{0}, {1} readers")
    @MethodSource("stacksButJsseAndCallers")
    void concurrentReadersShareTheStreamEachByteOnce(Stack stack, int readers) throws Exception {
        Socket[] pair = stack.connect(resources);
        byte[] sent = new byte[4 << 20];
        new Random(readers).nextBytes(sent);
        InputStream in = pair[0].getInputStream();
        AtomicLongArray received = new AtomicLongArray(256); // how often each byte value arrived
        List<CompletableFuture<Long>> counts = new ArrayList<>();
        for (int i = 0; i < readers; i++) {
            int size = 1 + i % 7 * 1000; // readers take different bites
            counts.add(CompletableFuture.supplyAsync(() -> {
                byte[] buffer = new byte[size];
                long total = 0;
                try {
                    for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                        for (int k = 0; k < n; k++) {
                            received.incrementAndGet(buffer[k] & 0xff);
                        }
                        total += n;
                    }
                    assertThat(in.read(buffer)).as("the end stays the end").isEqualTo(-1);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
                return total;
            }, runnable -> Thread.ofVirtual().start(runnable)));
        }
        OutputStream out = pair[1].getOutputStream();
        for (int offset = 0; offset < sent.length; offset += 1 << 16) {
            out.write(sent, offset, 1 << 16);
        }
        pair[1].shutdownOutput();
        long total = 0;
        for (CompletableFuture<Long> count : counts) {
            total += count.get(60, TimeUnit.SECONDS);
        }
        assertThat(total).isEqualTo(sent.length);
        long[] expected = new long[256];
        for (byte b : sent) {
            expected[b & 0xff]++;
        }
        long[] got = new long[256];
        Arrays.setAll(got, received::get);
        assertThat(got).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}, {1} writers")
    @MethodSource("stacksAndCallers")
    void concurrentWritesAreNeverInterleaved(Stack stack, int writers) throws Exception {
        Socket[] pair = stack.connect(resources);
        int writeSize = 40_000; // more than one TLS record, and partial sends on a full kernel buffer
        int writesEach = 8;
        OutputStream out = pair[0].getOutputStream();
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (int i = 0; i < writers; i++) {
            byte[] write = new byte[writeSize];
            Arrays.fill(write, (byte) i);
            done.add(CompletableFuture.runAsync(() -> {
                try {
                    for (int k = 0; k < writesEach; k++) {
                        out.write(write);
                    }
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }, runnable -> Thread.ofVirtual().start(runnable)));
        }
        InputStream in = pair[1].getInputStream();
        int[] writesSeen = new int[writers];
        for (int w = 0; w < writers * writesEach; w++) {
            byte[] write = in.readNBytes(writeSize);
            assertThat(write).hasSize(writeSize);
            int writer = write[0] & 0xff;
            for (byte b : write) {
                if ((b & 0xff) != writer) {
                    throw new AssertionError("write " + w + " interleaves writer " + writer + " with writer " + (b & 0xff));
                }
            }
            writesSeen[writer]++;
        }
        for (CompletableFuture<Void> writer : done) {
            writer.get(30, TimeUnit.SECONDS);
        }
        int[] expected = new int[writers];
        Arrays.fill(expected, writesEach);
        assertThat(writesSeen).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}, {1} readers and writers")
    @MethodSource("stacksButJsseAndCallers")
    void closeWakesEveryBlockedReaderAndWriter(Stack stack, int callers) throws Exception {
        Socket[] pair = stack.connect(resources);
        Socket socket = pair[0];
        InputStream in = socket.getInputStream();
        OutputStream out = socket.getOutputStream();
        byte[] big = new byte[8 << 20]; // the peer never reads: writers block
        List<Thread> threads = new ArrayList<>();
        List<CompletableFuture<String>> outcomes = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            boolean reader = i % 2 == 0;
            CompletableFuture<String> outcome = new CompletableFuture<>();
            outcomes.add(outcome);
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    if (reader) {
                        outcome.complete("read returned " + in.read());
                    } else {
                        out.write(big);
                        outcome.complete("write returned");
                    }
                } catch (IOException e) {
                    outcome.complete(e.getClass().getSimpleName());
                } catch (Throwable t) {
                    outcome.completeExceptionally(t);
                }
            }));
        }
        WaitingThreads.awaitAll(threads);
        socket.close();
        for (CompletableFuture<String> outcome : outcomes) {
            assertThat(outcome.get(20, TimeUnit.SECONDS)).isEqualTo("SocketException");
        }
    }
}
