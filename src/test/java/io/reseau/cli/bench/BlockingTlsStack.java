package io.reseau.cli.bench;

import io.reseau.tls.ReseauProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * Scenario D through the standard {@code javax.net.ssl} API: SSLSocket code on virtual threads, one
 * thread per connection end. The JDK's JSSE, Reseau's provider and a peer's (Conscrypt) run exactly
 * this code; only the provider the {@link SSLContext} comes from differs. The context is set up as
 * JSSE users set one up, {@code init(keyManagers, trustManagers, null)} from key stores, and hands
 * out both ends' sockets: its own SSLSockets, or its SSLEngines driven over the JDK's sockets by one
 * driver for every provider ({@link EngineSockets}). Bulk and request/response are
 * {@link BlockingStack}'s B and A over those socket factories.
 */
public final class BlockingTlsStack implements TlsStack {
    private static final String PROTOCOL = "TLSv1.3";

    private final String name;
    private final Provider provider;
    private final String resumptionUnavailable;
    private final X509Certificate authority;
    private final KeyManager[] keys;
    private final CountingTrustManager trust;
    private final Function<SSLContext, TlsSockets> socketsOf;
    private final SSLContext serverContext;
    private final TlsSockets sockets;
    private final BlockingStack overTls;

    private BlockingTlsStack(String name, Provider provider, String resumptionUnavailable,
            Function<SSLContext, TlsSockets> socketsOf) throws GeneralSecurityException {
        this.name = name;
        this.provider = provider;
        this.resumptionUnavailable = resumptionUnavailable;
        this.socketsOf = socketsOf;
        TlsCertificates certificates = TlsCertificates.generate();
        authority = certificates.authority();
        keys = certificates.keyManagers();
        trust = CountingTrustManager.around(certificates.trustManagers(provider));
        serverContext = newContext();
        sockets = socketsOf.apply(serverContext);
        overTls = BlockingStack.of(name, sockets.clients(), sockets.servers());
    }

    /** A context set up the JSSE way, from this stack's provider, key and trust. */
    private SSLContext newContext() throws GeneralSecurityException {
        SSLContext context = provider == null ? SSLContext.getInstance(PROTOCOL) : SSLContext.getInstance(PROTOCOL, provider);
        context.init(keys, new TrustManager[] {trust}, null);
        return context;
    }

    /** The JDK's own TLS: JSSE from its default provider (SunJSSE), over the JDK's sockets. */
    public static BlockingTlsStack jdk() throws GeneralSecurityException {
        return new BlockingTlsStack(Stacks.JDK, null, null, TlsSockets::of);
    }

    /** Reseau's provider: s2n-tls over Reseau's sockets, behind the same API. */
    public static BlockingTlsStack reseau() throws GeneralSecurityException {
        return new BlockingTlsStack(Stacks.RESEAU, new ReseauProvider(), null, TlsSockets::of);
    }

    /**
     * A peer's JSSE provider, such as Conscrypt, on its own SSLSockets. The provider serves this
     * stack's contexts alone; it is not installed in the JVM, so the other stacks keep theirs.
     *
     * @param resumptionUnavailable why the provider does not resume sessions under this code, or null
     */
    public static BlockingTlsStack of(String name, Provider provider, String resumptionUnavailable)
            throws GeneralSecurityException {
        return new BlockingTlsStack(name, provider, resumptionUnavailable, TlsSockets::of);
    }

    /** JSSE's SSLEngine, driven over the JDK's sockets. */
    public static BlockingTlsStack jdkEngine() throws GeneralSecurityException {
        return new BlockingTlsStack(TlsStacks.JDK_ENGINE, null, null, EngineSockets::of);
    }

    /** Reseau's SSLEngine, driven over the JDK's sockets by the same code as JSSE's. */
    public static BlockingTlsStack reseauEngine() throws GeneralSecurityException {
        return new BlockingTlsStack(TlsStacks.RESEAU_ENGINE, new ReseauProvider(), null, EngineSockets::of);
    }

    /** Reseau's SSLSockets layered over the JDK's sockets: TLS on the caller's thread through their streams. */
    public static BlockingTlsStack reseauStream() throws GeneralSecurityException {
        return new BlockingTlsStack(TlsStacks.RESEAU_STREAM, new ReseauProvider(), null, LayeredSockets::of);
    }

    @Override
    public String name() {
        return name;
    }

    /** The provider whose TLS this stack runs: its contexts' (SunJSSE for {@link #jdk()}). */
    public Provider provider() {
        return serverContext.getProvider();
    }

    @Override
    public String resumptionUnavailableReason() {
        return resumptionUnavailable;
    }

    @Override
    public Results.Handshakes handshakes(Handshake kind, int clients, Duration warmup, Duration measure, int size)
            throws Exception {
        if (kind == Handshake.RESUMED && resumptionUnavailable != null) {
            throw new UnsupportedOperationException(name + " does not resume sessions here: " + resumptionUnavailable);
        }
        return BlockingStack.onVirtualThread(() -> connectRepeatedly(kind, clients, warmup, measure, size));
    }

    /** What one client did in D1 or D5. */
    private record Tally(long counted, long completed, long lastFinished, String cipherSuite) {
        /** This, after one handshake completed before it (the client's first, before the clock). */
        Tally afterOneMore() {
            return new Tally(counted, completed + 1, lastFinished, cipherSuite);
        }
    }

    @Override
    public Results.Connections opensslClients(int processes, int seconds, int size) throws Exception {
        return serving(processes, size, port -> OpensslClients.run(authority, port, processes, seconds));
    }

    private interface Served<R> {
        R at(int port) throws Exception;
    }

    /** Runs {@code clients} clients' {@code work} against {@link #echoOnce} on this stack's TLS server socket. */
    private <R> R serving(int clients, int size, Served<R> work) throws Exception {
        try (ServerSocket server = sockets.servers().createServerSocket(0, Math.max(50, clients),
                InetAddress.getLoopbackAddress())) {
            Thread acceptor = Thread.ofVirtual().start(() -> echoOnce(server, size));
            try {
                return work.at(server.getLocalPort());
            } finally {
                acceptor.interrupt();
            }
        }
    }

    private Results.Handshakes connectRepeatedly(Handshake kind, int clients, Duration warmup, Duration measure, int size)
            throws Exception {
        return serving(clients, size, port -> {
            // Each client its own context, as separate client programs have: a context caches
            // sessions for all its sockets, and in D1 one client could otherwise resume from a
            // ticket another received, in the moment before that one invalidates its session; in
            // D5, take the TLS 1.3 ticket (used once) another was about to resume from.
            List<SSLSocketFactory> clientSockets = new ArrayList<>(clients);
            for (int i = 0; i < clients; i++) {
                clientSockets.add(socketsOf.apply(newContext()).clients());
            }
            long checksBefore = trust.serverChecks();
            // The clock starts once every client has completed a handshake (in D5, the full one
            // that gives it a session to resume): on a busy machine a thread can start, or a cold
            // first handshake end, later than a short warm-up and measurement last, and then
            // counts nothing.
            CountDownLatch running = new CountDownLatch(clients);
            CompletableFuture<Long> startAt = new CompletableFuture<>();
            List<CompletableFuture<Tally>> tallies = new ArrayList<>(clients);
            for (SSLSocketFactory sockets : clientSockets) {
                CompletableFuture<Tally> tally = new CompletableFuture<>();
                tallies.add(tally);
                Thread.ofVirtual().start(() -> {
                    try {
                        connect(kind, sockets, port, new byte[size], new byte[size], 0);
                        running.countDown();
                        long from = startAt.join();
                        tally.complete(connectInTurn(kind, sockets, port, from, from + measure.toNanos(),
                                size).afterOneMore());
                    } catch (Throwable t) {
                        tally.completeExceptionally(t);
                    }
                });
            }
            running.await();
            long start = System.nanoTime() + warmup.toNanos();
            startAt.complete(start);
            CompletableFuture.allOf(tallies.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
            long counted = 0;
            long completed = 0;
            long lastFinished = start;
            for (CompletableFuture<Tally> future : tallies) {
                Tally tally = future.join();
                counted += tally.counted();
                completed += tally.completed();
                lastFinished = Math.max(lastFinished, tally.lastFinished());
            }
            return Results.handshakes(kind, counted, lastFinished - start, completed, clients,
                    trust.serverChecks() - checksBefore, tallies.getFirst().join().cipherSuite());
        });
    }

    /**
     * One D1 or D5 client: connects, completes a handshake, proves the connection with one echo,
     * closes, and again, until {@code end} and at least one was counted. Handshakes begun from
     * {@code start} on are counted.
     */
    private static Tally connectInTurn(Handshake kind, SSLSocketFactory sockets, int port, long start, long end, int size)
            throws IOException {
        byte[] ping = new byte[size];
        byte[] pong = new byte[size];
        long counted = 0;
        long completed = 0;
        long lastFinished = start;
        String cipherSuite = null;
        // Until the end, and until one handshake counts: on a loaded machine one can outlast a short window.
        for (long began = System.nanoTime(); began < end || counted == 0; began = System.nanoTime()) {
            cipherSuite = connect(kind, sockets, port, ping, pong, completed);
            completed++;
            if (began >= start) {
                counted++;
                lastFinished = System.nanoTime();
            }
        }
        return new Tally(counted, completed, lastFinished, cipherSuite);
    }

    /** One connection of a D1 or D5 client, its echo marked with {@code sequence}; the cipher suite it agreed. */
    private static String connect(Handshake kind, SSLSocketFactory sockets, int port, byte[] ping, byte[] pong, long sequence)
            throws IOException {
        try (SSLSocket socket = (SSLSocket) sockets.createSocket(InetAddress.getLoopbackAddress(), port)) {
            socket.setTcpNoDelay(true);
            socket.startHandshake();
            BlockingStack.roundTrip(socket.getOutputStream(), socket.getInputStream(), ping, pong, (int) sequence);
            SSLSession session = socket.getSession();
            if (!PROTOCOL.equals(session.getProtocol())) {
                throw new IOException("negotiated " + session.getProtocol() + ", not " + PROTOCOL);
            }
            if (kind == Handshake.FULL) {
                // Every handshake full, the same way on every stack: the client drops what it could
                // resume before its next handshake. (JSSE caches the tickets that arrived for the
                // session as its children, invalidated with it.)
                session.invalidate();
            }
            return session.getCipherSuite();
        }
    }

    /**
     * D1's server: each connection on a virtual thread of its own echoes one message, then waits for
     * the client to close and closes too, so that nothing stays open from one handshake to the next.
     */
    private static void echoOnce(ServerSocket server, int size) {
        try {
            while (true) {
                Socket peer = server.accept();
                Thread.ofVirtual().start(() -> {
                    try (peer) {
                        peer.setTcpNoDelay(true);
                        InputStream in = peer.getInputStream();
                        OutputStream out = peer.getOutputStream();
                        byte[] message = new byte[size];
                        if (BlockingStack.readFully(in, message)) {
                            out.write(message);
                            in.read(); // the client's close_notify, or its FIN
                        }
                    } catch (IOException e) {
                        // the client went away: its own checks report it
                    }
                });
            }
        } catch (IOException e) {
            // the server socket closed: done
        }
    }

    @Override
    public Results.Bulk bulk(long total, int writeSize) throws Exception {
        return overTls.bulk(total, writeSize);
    }

    @Override
    public Results.RoundTrips requestResponse(Duration warmup, Duration measure, int size) throws Exception {
        return overTls.requestResponse(warmup, measure, size);
    }

    @Override
    public AutoCloseable openIdle(int count) throws Exception {
        long checksBefore = trust.serverChecks();
        AutoCloseable idle = overTls.openIdle(count);
        try {
            Results.requireFullHandshakes(count, trust.serverChecks() - checksBefore);
            return idle;
        } catch (IOException e) {
            idle.close();
            throw e;
        }
    }
}
