package io.reseau.net.ssl;

import static org.assertj.core.api.Assertions.assertThat;

import io.reseau.testing.TestPki;
import io.reseau.testing.TestPki.Kind;
import java.nio.ByteBuffer;
import java.security.Provider;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;

/**
 * A client engine and a server engine joined in memory: what one wraps, the other unwraps, on the
 * test's thread. Each side is Reseau's engine or JSSE's ({@link Stack}), so a test can run the
 * same steps with either under test and expect the same results.
 */
final class EngineLoop {
    /** Whose engine (or socket) a side uses. */
    enum Stack {
        RESEAU(SslSockets.RESEAU),
        JSSE(null);

        final Provider provider;

        Stack(Provider provider) {
            this.provider = provider;
        }
    }

    static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    private static final int NETWORK_BUFFER = 1 << 20;

    final SSLEngine client;
    final SSLEngine server;
    /** What the client wrapped and the server has not unwrapped yet (in write mode). */
    final ByteBuffer toServer = ByteBuffer.allocate(NETWORK_BUFFER);
    /** What the server wrapped and the client has not unwrapped yet (in write mode). */
    final ByteBuffer toClient = ByteBuffer.allocate(NETWORK_BUFFER);
    /** Every handshake status the client's calls returned, in order; likewise the server's. */
    final List<HandshakeStatus> clientStatuses = new ArrayList<>();
    final List<HandshakeStatus> serverStatuses = new ArrayList<>();

    EngineLoop(SSLEngine client, SSLEngine server) {
        this.client = client;
        this.server = server;
    }

    /** A client of {@code clientStack} offering only {@code protocol}, and a server of {@code serverStack} with an EC certificate. */
    static EngineLoop of(TestPki pki, Stack clientStack, Stack serverStack, String protocol) {
        return of(clientContext(pki, clientStack), serverContext(pki, serverStack), protocol);
    }

    /** A client of {@code clientContext} offering only {@code protocol}, and a server of {@code serverContext}. */
    static EngineLoop of(SSLContext clientContext, SSLContext serverContext, String protocol) {
        SSLEngine client = clientContext.createSSLEngine("localhost", 443);
        client.setUseClientMode(true);
        client.setEnabledProtocols(new String[] {protocol});
        SSLEngine server = serverContext.createSSLEngine();
        server.setUseClientMode(false);
        return new EngineLoop(client, server);
    }

    static SSLContext clientContext(TestPki pki, Stack stack) {
        return pki.clientContext(null, stack.provider);
    }

    static SSLContext serverContext(TestPki pki, Stack stack) {
        return pki.serverContext(Kind.SERVER_EC256, stack.provider);
    }

    /**
     * Runs both engines' handshakes to the end, tasks included, then delivers what either still
     * wrapped (a TLS 1.3 server's tickets), and checks that each reported FINISHED (JSSE's client
     * reports it again for a TLS 1.3 ticket).
     */
    EngineLoop handshake() throws SSLException {
        client.beginHandshake();
        server.beginHandshake();
        for (int turn = 0; turn < 100; turn++) {
            boolean moved = turn();
            if (!moved && done(client) && done(server)) {
                break;
            }
        }
        assertThat(done(client) && done(server)).as("both handshakes ended").isTrue();
        assertThat(clientStatuses).as("the client's statuses").contains(HandshakeStatus.FINISHED);
        assertThat(serverStatuses).as("the server's statuses").containsOnlyOnce(HandshakeStatus.FINISHED);
        assertThat(toServer.position()).isZero();
        assertThat(toClient.position()).isZero();
        return this;
    }

    /** One move of each engine, the client's first (see {@link #step}); whether either moved. */
    boolean turn() throws SSLException {
        return step(client, toServer, toClient, clientStatuses) | step(server, toClient, toServer, serverStatuses);
    }

    private static boolean done(SSLEngine engine) {
        return engine.getHandshakeStatus() == HandshakeStatus.NOT_HANDSHAKING;
    }

    /** One move of {@code engine}: its tasks, a wrap or an unwrap as its status asks, or unwrapping what waits. */
    private static boolean step(SSLEngine engine, ByteBuffer out, ByteBuffer in, List<HandshakeStatus> statuses) throws SSLException {
        boolean moved = false;
        for (Runnable task = engine.getDelegatedTask(); task != null; task = engine.getDelegatedTask()) {
            task.run();
            moved = true;
        }
        HandshakeStatus status = engine.getHandshakeStatus();
        if (status == HandshakeStatus.NEED_WRAP) {
            SSLEngineResult result = engine.wrap(EMPTY, out);
            statuses.add(result.getHandshakeStatus());
            return true;
        }
        if (in.position() > 0 && status != HandshakeStatus.NEED_TASK) {
            in.flip();
            SSLEngineResult result = engine.unwrap(in, ByteBuffer.allocate(engine.getSession().getApplicationBufferSize()));
            in.compact();
            statuses.add(result.getHandshakeStatus());
            return moved || result.bytesConsumed() > 0 || result.getHandshakeStatus() != status;
        }
        return moved;
    }

    /**
     * Moves {@code bytes} from one engine to the other through a network buffer, in records of at
     * most {@code chunk} plaintext bytes, into application buffers of the size the receiver's
     * session gives (direct ones with {@code direct}); returns what arrived.
     */
    static byte[] transfer(SSLEngine from, SSLEngine to, byte[] bytes, int chunk, boolean direct) throws SSLException {
        ByteBuffer network = allocate(from.getSession().getPacketBufferSize(), direct);
        ByteBuffer application = allocate(to.getSession().getApplicationBufferSize(), direct);
        java.io.ByteArrayOutputStream received = new java.io.ByteArrayOutputStream(bytes.length);
        for (int at = 0; at < bytes.length; ) {
            ByteBuffer source = allocate(Math.min(chunk, bytes.length - at), direct).put(bytes, at, Math.min(chunk, bytes.length - at)).flip();
            while (source.hasRemaining()) {
                network.clear();
                SSLEngineResult wrapped = from.wrap(source, network);
                assertThat(wrapped.getStatus()).isEqualTo(SSLEngineResult.Status.OK);
                at += wrapped.bytesConsumed();
                network.flip();
                while (network.hasRemaining()) {
                    application.clear();
                    SSLEngineResult unwrapped = to.unwrap(network, application);
                    assertThat(unwrapped.getStatus()).isEqualTo(SSLEngineResult.Status.OK);
                    application.flip();
                    byte[] plain = new byte[application.remaining()];
                    application.get(plain);
                    received.writeBytes(plain);
                }
            }
        }
        return received.toByteArray();
    }

    static ByteBuffer allocate(int size, boolean direct) {
        return direct ? ByteBuffer.allocateDirect(size) : ByteBuffer.allocate(size);
    }

    /** {@code from} wraps all of {@code bytes}; the records, in {@code from}'s outgoing buffer, flipped for reading. */
    static ByteBuffer wrapAll(SSLEngine from, byte[] bytes) throws SSLException {
        ByteBuffer records = ByteBuffer.allocate(bytes.length + 64 * (bytes.length / 1000 + 1) + NETWORK_BUFFER / 16);
        ByteBuffer source = ByteBuffer.wrap(bytes);
        while (source.hasRemaining()) {
            SSLEngineResult result = from.wrap(source, records);
            assertThat(result.getStatus()).isEqualTo(SSLEngineResult.Status.OK);
        }
        return records.flip();
    }

    /** The client's outgoing bytes, flipped for reading; the buffer is emptied. */
    ByteBuffer takeToServer() {
        return take(toServer);
    }

    ByteBuffer takeToClient() {
        return take(toClient);
    }

    private static ByteBuffer take(ByteBuffer buffer) {
        buffer.flip();
        ByteBuffer copy = ByteBuffer.allocate(buffer.remaining()).put(buffer).flip();
        buffer.clear();
        return copy;
    }
}
