package io.reseau.net.ssl;

import static org.assertj.core.api.Assertions.assertThat;

import io.reseau.net.ssl.EngineLoop.Stack;
import io.reseau.testing.TestPki;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

/**
 * Child JVM main for {@link SSLEngineIdleTest}: Reseau engine pairs joined in memory, left idle
 * right after their handshake, and after more than a record each way; prints the C heap they
 * hold per pair in each case (glibc's bytes in use that closing them frees, settled), the
 * smallest of three rounds, after checking that each pair still carries bytes both ways.
 * Argument: a directory for the test PKI.
 */
public final class IdleEnginesProbe {
    static final String RESULT = "idle-engine-pair: ";
    private static final int PAIRS = 64;
    private static final int ROUNDS = 3;
    /** More than a record each way, so that every buffer of both engines was in use once. */
    private static final int EXCHANGED = 40 * 1024;
    private static SSLContext clientContext;
    private static SSLContext serverContext;

    private IdleEnginesProbe() {}

    public static void main(String[] args) throws Exception {
        TestPki pki = TestPki.generate(Path.of(args[0]));
        clientContext = EngineLoop.clientContext(pki, Stack.RESEAU);
        serverContext = EngineLoop.serverContext(pki, Stack.RESEAU);
        openAndCheck(); // the JVM's own growth on first use (code, pools) is not counted
        long afterHandshake = Long.MAX_VALUE;
        long afterExchange = Long.MAX_VALUE;
        for (int round = 0; round < ROUNDS; round++) {
            afterHandshake = Math.min(afterHandshake, measureRound(false));
            afterExchange = Math.min(afterExchange, measureRound(true));
        }
        System.out.println(RESULT + afterHandshake + " " + afterExchange);
        System.exit(0); // Reseau's daemon threads must not keep the child alive
    }

    /**
     * Native bytes per idle pair: what closing both ends of every pair frees (each engine frees
     * its s2n connection at once when both its directions are done).
     */
    private static long measureRound(boolean exchange) throws Exception {
        List<EngineLoop> idle = open(exchange);
        long held = IdleStreamConnectionsProbe.settledNativeInUse();
        checkStillUsable(idle);
        for (EngineLoop pair : idle) {
            close(pair);
        }
        return (held - IdleStreamConnectionsProbe.settledNativeInUse()) / PAIRS;
    }

    private static void openAndCheck() throws Exception {
        List<EngineLoop> pairs = open(true);
        checkStillUsable(pairs);
        for (EngineLoop pair : pairs) {
            close(pair);
        }
    }

    /** close_notify each way: the client's, then the server's answer. */
    private static void close(EngineLoop pair) throws SSLException {
        ByteBuffer network = ByteBuffer.allocate(pair.client.getSession().getPacketBufferSize());
        ByteBuffer application = ByteBuffer.allocate(pair.client.getSession().getApplicationBufferSize());
        pair.client.closeOutbound();
        pair.client.wrap(EngineLoop.EMPTY, network);
        pair.server.unwrap(network.flip(), application);
        pair.server.closeOutbound();
        pair.server.wrap(EngineLoop.EMPTY, network.clear());
        pair.client.unwrap(network.flip(), application.clear());
        assertThat(pair.client.isInboundDone() && pair.client.isOutboundDone()
                && pair.server.isInboundDone() && pair.server.isOutboundDone()).as("both ends closed").isTrue();
    }

    /** Pairs after their handshake, and after more than a record each way with {@code exchange}. */
    private static List<EngineLoop> open(boolean exchange) throws SSLException {
        byte[] request = pattern(EXCHANGED, 1);
        byte[] response = pattern(EXCHANGED, 2);
        List<EngineLoop> pairs = new ArrayList<>();
        for (int i = 0; i < PAIRS; i++) {
            EngineLoop pair = EngineLoop.of(clientContext, serverContext, "TLSv1.3").handshake();
            pairs.add(pair);
            if (!exchange) {
                continue;
            }
            assertThat(EngineLoop.transfer(pair.client, pair.server, request, 64 * 1024, false)).isEqualTo(request);
            assertThat(EngineLoop.transfer(pair.server, pair.client, response, 64 * 1024, false)).isEqualTo(response);
        }
        return pairs;
    }

    /** Each pair carries bytes both ways after its idle period. */
    private static void checkStillUsable(List<EngineLoop> pairs) throws SSLException {
        byte[] next = {1, 2, 3, 4};
        for (EngineLoop pair : pairs) {
            assertThat(EngineLoop.transfer(pair.client, pair.server, next, 4, false)).isEqualTo(next);
            assertThat(EngineLoop.transfer(pair.server, pair.client, next, 4, false)).isEqualTo(next);
        }
    }

    private static byte[] pattern(int length, int seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
