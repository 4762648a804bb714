package io.reseau.net.ssl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reseau.net.ssl.EngineLoop.Stack;
import io.reseau.testing.TestPki;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLEngineResult.Status;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The statuses an engine reports, where JSSE's engine reports them: each test runs its steps with
 * Reseau's engine under test and again with JSSE's, against a JSSE peer, and expects the same.
 */
@Timeout(60)
class SSLEngineStatusTest {
    private static TestPki pki;

    @BeforeAll
    static void generatePki(@TempDir Path dir) {
        pki = TestPki.generate(dir);
    }

    static Stream<Arguments> stacksAndProtocols() {
        List<Arguments> cases = new ArrayList<>();
        for (Stack stack : Stack.values()) {
            for (String protocol : List.of("TLSv1.3", "TLSv1.2")) {
                cases.add(Arguments.of(stack, protocol));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Stack.class)
    void beforeTheHandshakeEachSideAsksForItsFirstMove(Stack stack) throws Exception {
        EngineLoop loop = EngineLoop.of(pki, Stack.JSSE, stack, "TLSv1.3");
        SSLEngine client = EngineLoop.clientContext(pki, stack).createSSLEngine("localhost", 443);
        client.setUseClientMode(true);
        SSLEngine server = loop.server;
        assertThat(client.getHandshakeStatus()).isEqualTo(HandshakeStatus.NOT_HANDSHAKING);
        assertThat(server.getHandshakeStatus()).isEqualTo(HandshakeStatus.NOT_HANDSHAKING);
        expect(server.wrap(EngineLoop.EMPTY, ByteBuffer.allocate(20000)), Status.OK, HandshakeStatus.NEED_UNWRAP, 0, 0);
        expect(client.unwrap(EngineLoop.EMPTY, ByteBuffer.allocate(20000)), Status.OK, HandshakeStatus.NEED_WRAP, 0, 0);
        expect(client.wrap(EngineLoop.EMPTY, ByteBuffer.allocate(100)), Status.BUFFER_OVERFLOW, HandshakeStatus.NEED_WRAP, 0, 0);
        assertThat(client.getHandshakeStatus()).isEqualTo(HandshakeStatus.NEED_WRAP);
        assertThat(server.getHandshakeStatus()).isEqualTo(HandshakeStatus.NEED_UNWRAP);
        SSLEngineResult hello = client.wrap(EngineLoop.EMPTY, ByteBuffer.allocate(20000));
        assertThat(hello.getStatus()).isEqualTo(Status.OK);
        assertThat(hello.getHandshakeStatus()).isEqualTo(HandshakeStatus.NEED_UNWRAP);
        assertThat(hello.bytesProduced()).isPositive();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("stacksAndProtocols")
    void aRecordNotAllThereIsAnUnderflowThatConsumesNothing(Stack stack, String protocol) throws Exception {
        EngineLoop loop = EngineLoop.of(pki, Stack.JSSE, stack, protocol).handshake();
        ByteBuffer record = EngineLoop.wrapAll(loop.client, new byte[1000]);
        ByteBuffer application = ByteBuffer.allocate(loop.server.getSession().getApplicationBufferSize());
        for (int available : new int[] {0, 3, 5, 500, record.remaining() - 1}) {
            ByteBuffer part = record.duplicate().limit(available);
            expect(loop.server.unwrap(part, application), Status.BUFFER_UNDERFLOW, HandshakeStatus.NOT_HANDSHAKING, 0, 0);
            assertThat(part.position()).isZero();
        }
        int length = record.remaining();
        expect(loop.server.unwrap(record, application), Status.OK, HandshakeStatus.NOT_HANDSHAKING, length, 1000);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("stacksAndProtocols")
    void severalRecordsInOneBufferComeOutOnePerUnwrap(Stack stack, String protocol) throws Exception {
        EngineLoop loop = EngineLoop.of(pki, Stack.JSSE, stack, protocol).handshake();
        List<Integer> lengths = new ArrayList<>();
        ByteBuffer network = ByteBuffer.allocate(1 << 16);
        for (int size : new int[] {1000, 1, 2000}) {
            int before = network.position();
            expect(loop.client.wrap(ByteBuffer.wrap(new byte[size]), network), Status.OK, HandshakeStatus.NOT_HANDSHAKING, size, -1);
            lengths.add(network.position() - before);
        }
        network.flip();
        ByteBuffer application = ByteBuffer.allocate(loop.server.getSession().getApplicationBufferSize());
        int[] sizes = {1000, 1, 2000};
        for (int i = 0; i < sizes.length; i++) {
            application.clear();
            expect(loop.server.unwrap(network, application), Status.OK, HandshakeStatus.NOT_HANDSHAKING, lengths.get(i), sizes[i]);
        }
        expect(loop.server.unwrap(network, application), Status.BUFFER_UNDERFLOW, HandshakeStatus.NOT_HANDSHAKING, 0, 0);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("stacksAndProtocols")
    void aRecordSplitAcrossTwoUnwrapsArrivesWithTheSecondPart(Stack stack, String protocol) throws Exception {
        EngineLoop loop = EngineLoop.of(pki, Stack.JSSE, stack, protocol).handshake();
        byte[] text = "split in two".getBytes(StandardCharsets.UTF_8);
        ByteBuffer record = EngineLoop.wrapAll(loop.client, text);
        int length = record.remaining();
        ByteBuffer network = ByteBuffer.allocate(length);
        network.put(record.slice(0, length / 2)).flip();
        ByteBuffer application = ByteBuffer.allocate(loop.server.getSession().getApplicationBufferSize());
        expect(loop.server.unwrap(network, application), Status.BUFFER_UNDERFLOW, HandshakeStatus.NOT_HANDSHAKING, 0, 0);
        network.compact().put(record.slice(length / 2, length - length / 2)).flip();
        expect(loop.server.unwrap(network, application), Status.OK, HandshakeStatus.NOT_HANDSHAKING, length, text.length);
        assertThat(application.flip()).isEqualTo(ByteBuffer.wrap(text));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("stacksAndProtocols")
    void aDestinationTooSmallIsAnOverflowThatConsumesNothingThenALargerOneTakesTheRecord(Stack stack, String protocol)
            throws Exception {
        EngineLoop loop = EngineLoop.of(pki, Stack.JSSE, stack, protocol).handshake();
        ByteBuffer record = EngineLoop.wrapAll(loop.client, new byte[1000]);
        int length = record.remaining();
        expect(loop.server.unwrap(record, ByteBuffer.allocate(10)), Status.BUFFER_OVERFLOW, HandshakeStatus.NOT_HANDSHAKING, 0, 0);
        assertThat(record.position()).isZero();
        ByteBuffer application = ByteBuffer.allocate(loop.server.getSession().getApplicationBufferSize());
        expect(loop.server.unwrap(record, application), Status.OK, HandshakeStatus.NOT_HANDSHAKING, length, 1000);

        int packetSize = loop.server.getSession().getPacketBufferSize();
        expect(loop.server.wrap(ByteBuffer.wrap(new byte[10]), ByteBuffer.allocate(packetSize - 1)),
                Status.BUFFER_OVERFLOW, HandshakeStatus.NOT_HANDSHAKING, 0, 0);
        expect(loop.server.wrap(ByteBuffer.wrap(new byte[10]), ByteBuffer.allocate(packetSize)),
                Status.OK, HandshakeStatus.NOT_HANDSHAKING, 10, -1);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("stacksAndProtocols")
    void closingOutboundFirstSendsCloseNotifyAndTheAnswerClosesInbound(Stack stack, String protocol) throws Exception {
        EngineLoop loop = EngineLoop.of(pki, stack, Stack.JSSE, protocol).handshake();
        SSLEngine closing = loop.client;
        closing.closeOutbound();
        assertThat(closing.getHandshakeStatus()).isEqualTo(HandshakeStatus.NEED_WRAP);
        assertThat(closing.isOutboundDone()).isFalse();
        ByteBuffer network = ByteBuffer.allocate(1 << 16);
        SSLEngineResult closeNotify = closing.wrap(EngineLoop.EMPTY, network);
        expect(closeNotify, Status.CLOSED, HandshakeStatus.NOT_HANDSHAKING, 0, -1);
        assertThat(closeNotify.bytesProduced()).isPositive();
        assertThat(closing.isOutboundDone()).isTrue();
        assertThat(closing.isInboundDone()).isFalse();
        expect(closing.wrap(ByteBuffer.wrap(new byte[5]), network), Status.CLOSED, HandshakeStatus.NOT_HANDSHAKING, 0, 0);

        network.flip();
        ByteBuffer application = ByteBuffer.allocate(1 << 16);
        SSLEngineResult received = loop.server.unwrap(network, application);
        assertThat(received.getStatus()).isEqualTo(Status.CLOSED);
        network.clear();
        if (protocol.equals("TLSv1.3")) {
            // Half-close: the peer may still send.
            loop.server.wrap(ByteBuffer.wrap(new byte[5]), network);
            network.flip();
            expect(closing.unwrap(network, application), Status.OK, HandshakeStatus.NOT_HANDSHAKING, -1, 5);
            network.clear();
            loop.server.closeOutbound();
        }
        loop.server.wrap(EngineLoop.EMPTY, network);
        network.flip();
        expect(closing.unwrap(network, application), Status.CLOSED, HandshakeStatus.NOT_HANDSHAKING, -1, 0);
        assertThat(closing.isInboundDone()).isTrue();
        expect(closing.unwrap(network, application), Status.CLOSED, HandshakeStatus.NOT_HANDSHAKING, 0, 0);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("stacksAndProtocols")
    void receivingCloseNotifyClosesInboundAndInTls12AsksToAnswer(Stack stack, String protocol) throws Exception {
        EngineLoop loop = EngineLoop.of(pki, Stack.JSSE, stack, protocol).handshake();
        SSLEngine receiving = loop.server;
        loop.client.closeOutbound();
        ByteBuffer network = ByteBuffer.allocate(1 << 16);
        loop.client.wrap(EngineLoop.EMPTY, network);
        network.flip();
        boolean tls12 = protocol.equals("TLSv1.2");
        HandshakeStatus next = tls12 ? HandshakeStatus.NEED_WRAP : HandshakeStatus.NOT_HANDSHAKING;
        expect(receiving.unwrap(network, ByteBuffer.allocate(1 << 16)), Status.CLOSED, next, -1, 0);
        assertThat(receiving.isInboundDone()).isTrue();
        assertThat(receiving.isOutboundDone()).isFalse();
        assertThat(receiving.getHandshakeStatus()).isEqualTo(next);
        expect(receiving.unwrap(network, ByteBuffer.allocate(1 << 16)), Status.CLOSED, next, 0, 0);
        ByteBuffer answer = ByteBuffer.allocate(1 << 16);
        SSLEngineResult wrapped = receiving.wrap(ByteBuffer.wrap(new byte[5]), answer);
        if (tls12) {
            // No half-close in TLS 1.2: close_notify answers, the data stays.
            expect(wrapped, Status.CLOSED, HandshakeStatus.NOT_HANDSHAKING, 0, -1);
            assertThat(receiving.isOutboundDone()).isTrue();
        } else {
            expect(wrapped, Status.OK, HandshakeStatus.NOT_HANDSHAKING, 5, -1);
            receiving.closeOutbound();
            expect(receiving.wrap(EngineLoop.EMPTY, answer), Status.CLOSED, HandshakeStatus.NOT_HANDSHAKING, 0, -1);
        }
        assertThat(wrapped.bytesProduced()).isPositive();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("stacksAndProtocols")
    void closingInboundWithoutTheClosePeersCloseNotifyIsATruncation(Stack stack, String protocol) throws Exception {
        EngineLoop loop = EngineLoop.of(pki, Stack.JSSE, stack, protocol).handshake();
        SSLEngine engine = loop.server;
        assertThatThrownBy(engine::closeInbound)
                .isInstanceOf(SSLException.class)
                .hasMessage("closing inbound before receiving peer's close_notify");
        assertThat(engine.isInboundDone()).isTrue();
        assertThat(engine.isOutboundDone()).isFalse();
        assertThat(engine.getHandshakeStatus()).isEqualTo(HandshakeStatus.NOT_HANDSHAKING);
        engine.closeInbound(); // once is enough
        expect(engine.wrap(ByteBuffer.wrap(new byte[5]), ByteBuffer.allocate(1 << 16)),
                Status.OK, HandshakeStatus.NOT_HANDSHAKING, 5, -1);
        expect(engine.unwrap(ByteBuffer.allocate(10), ByteBuffer.allocate(1 << 16)),
                Status.CLOSED, HandshakeStatus.NOT_HANDSHAKING, 0, 0);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Stack.class)
    void closingBeforeTheHandshakeSendsNothingAndNeedsNoCloseNotify(Stack stack) throws Exception {
        SSLEngine engine = EngineLoop.clientContext(pki, stack).createSSLEngine("localhost", 443);
        engine.setUseClientMode(true);
        engine.closeOutbound();
        assertThat(engine.isOutboundDone()).isTrue();
        assertThat(engine.isInboundDone()).isFalse();
        assertThat(engine.getHandshakeStatus()).isEqualTo(HandshakeStatus.NOT_HANDSHAKING);
        expect(engine.wrap(EngineLoop.EMPTY, ByteBuffer.allocate(1 << 16)), Status.CLOSED, HandshakeStatus.NOT_HANDSHAKING, 0, 0);
        engine.closeInbound();
        assertThat(engine.isInboundDone()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Stack.class)
    void bytesThatCannotBeTlsFailAtOnceAndTheEngineWrapsItsClose(Stack stack) throws Exception {
        SSLEngine server = EngineLoop.serverContext(pki, stack).createSSLEngine();
        server.setUseClientMode(false);
        ByteBuffer plaintext = ByteBuffer.wrap("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThatThrownBy(() -> server.unwrap(plaintext, ByteBuffer.allocate(1 << 16)))
                .isInstanceOf(SSLException.class)
                .hasMessageContaining("plaintext connection?");
        assertThat(server.isInboundDone()).isTrue();
        assertThat(server.getHandshakeStatus()).isEqualTo(HandshakeStatus.NEED_WRAP);
        SSLEngineResult alert = server.wrap(EngineLoop.EMPTY, ByteBuffer.allocate(1 << 16));
        expect(alert, Status.CLOSED, HandshakeStatus.NOT_HANDSHAKING, 0, -1);
        assertThat(alert.bytesProduced()).isPositive();
        assertThat(server.isOutboundDone()).isTrue();
        expect(server.wrap(EngineLoop.EMPTY, ByteBuffer.allocate(1 << 16)), Status.CLOSED, HandshakeStatus.NOT_HANDSHAKING, 0, 0);
    }

    @Test
    void aServersRequestToRenegotiateIsIgnoredAndDataFlowsOn() throws Exception {
        EngineLoop loop = EngineLoop.of(pki, Stack.RESEAU, Stack.JSSE, "TLSv1.2").handshake();
        loop.server.beginHandshake(); // TLS 1.2: JSSE's server sends a HelloRequest
        ByteBuffer network = ByteBuffer.allocate(1 << 16);
        SSLEngineResult request = loop.server.wrap(EngineLoop.EMPTY, network);
        assertThat(request.bytesProduced()).isPositive();
        network.flip();
        expect(loop.client.unwrap(network, ByteBuffer.allocate(1 << 16)), Status.OK, HandshakeStatus.NOT_HANDSHAKING, -1, 0);
        assertThat(loop.client.getHandshakeStatus()).isEqualTo(HandshakeStatus.NOT_HANDSHAKING);
        assertThatThrownBy(loop.client::beginHandshake).isInstanceOf(SSLException.class);
        byte[] bytes = "still here".getBytes(StandardCharsets.UTF_8);
        assertThat(EngineLoop.transfer(loop.client, loop.server, bytes, bytes.length, false)).isEqualTo(bytes);
    }

    @Test
    void aClientsRenegotiationFailsTheConnection() throws Exception {
        EngineLoop loop = EngineLoop.of(pki, Stack.JSSE, Stack.RESEAU, "TLSv1.2").handshake();
        loop.client.beginHandshake();
        ByteBuffer network = ByteBuffer.allocate(1 << 16);
        loop.client.wrap(EngineLoop.EMPTY, network);
        network.flip();
        assertThatThrownBy(() -> loop.server.unwrap(network, ByteBuffer.allocate(1 << 16))).isInstanceOf(SSLException.class);
        assertThat(loop.server.isInboundDone()).isTrue();
    }

    /** {@code bytesConsumed} and {@code bytesProduced} of -1 are not checked. */
    private static void expect(SSLEngineResult result, Status status, HandshakeStatus handshakeStatus, int consumed, int produced) {
        assertThat(result.getStatus()).as("status of %s", result).isEqualTo(status);
        assertThat(result.getHandshakeStatus()).as("handshake status of %s", result).isEqualTo(handshakeStatus);
        if (consumed >= 0) {
            assertThat(result.bytesConsumed()).as("consumed by %s", result).isEqualTo(consumed);
        }
        if (produced >= 0) {
            assertThat(result.bytesProduced()).as("produced by %s", result).isEqualTo(produced);
        }
    }
}
