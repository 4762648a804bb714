package io.reseau.net.ssl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reseau.net.ssl.EngineLoop.Stack;
import io.reseau.testing.TestPki;
import io.reseau.testing.TestPki.Kind;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Reseau's SSLEngine against JSSE's and against itself, in memory: handshakes, data, parameters. */
@Timeout(60)
class ReseauSSLEngineTest {
    private static TestPki pki;

    @BeforeAll
    static void generatePki(@TempDir Path dir) {
        pki = TestPki.generate(dir);
    }

    static Stream<Arguments> pairs() {
        List<Arguments> pairs = new ArrayList<>();
        for (String protocol : List.of("TLSv1.3", "TLSv1.2")) {
            pairs.add(Arguments.of(Stack.RESEAU, Stack.JSSE, protocol));
            pairs.add(Arguments.of(Stack.JSSE, Stack.RESEAU, protocol));
            pairs.add(Arguments.of(Stack.RESEAU, Stack.RESEAU, protocol));
        }
        return pairs.stream();
    }

    @ParameterizedTest(name = "{0} client, {1} server, {2}")
    @MethodSource("pairs")
    void theHandshakeAgreesAndDataFlowsBothWaysInHeapAndDirectBuffers(Stack clientStack, Stack serverStack, String protocol)
            throws Exception {
        EngineLoop loop = EngineLoop.of(pki, clientStack, serverStack, protocol).handshake();
        SSLSession client = loop.client.getSession();
        SSLSession server = loop.server.getSession();
        assertThat(client.getProtocol()).isEqualTo(protocol);
        assertThat(server.getProtocol()).isEqualTo(protocol);
        assertThat(client.getCipherSuite()).isEqualTo(server.getCipherSuite()).doesNotContain("NULL");
        assertThat(client.getPeerCertificates()).isInstanceOf(X509Certificate[].class).hasSize(2);
        assertThat(((X509Certificate) client.getPeerCertificates()[0]).getSubjectX500Principal().getName()).isEqualTo("CN=localhost");
        assertThat(server.getLocalCertificates()).isInstanceOf(X509Certificate[].class);
        assertThatThrownBy(server::getPeerCertificates).isInstanceOf(SSLPeerUnverifiedException.class);
        assertThat(loop.client.getApplicationProtocol()).isEmpty();

        byte[] bytes = randomBytes(100_000);
        for (boolean direct : new boolean[] {false, true}) {
            assertThat(EngineLoop.transfer(loop.client, loop.server, bytes, 40_000, direct)).isEqualTo(bytes);
            assertThat(EngineLoop.transfer(loop.server, loop.client, bytes, 40_000, direct)).isEqualTo(bytes);
        }
    }

    @ParameterizedTest(name = "{0} client, {1} server, {2}")
    @MethodSource("pairs")
    void oneByteRecordsArriveOneByOne(Stack clientStack, Stack serverStack, String protocol) throws Exception {
        EngineLoop loop = EngineLoop.of(pki, clientStack, serverStack, protocol).handshake();
        byte[] bytes = randomBytes(300);
        assertThat(EngineLoop.transfer(loop.client, loop.server, bytes, 1, false)).isEqualTo(bytes);
        assertThat(EngineLoop.transfer(loop.server, loop.client, bytes, 1, true)).isEqualTo(bytes);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void sixteenMebibytesGoThroughBufferArraysBothWays(String protocol) throws Exception {
        EngineLoop loop = EngineLoop.of(pki, Stack.RESEAU, Stack.JSSE, protocol).handshake();
        byte[] bytes = randomBytes(16 << 20);
        assertThat(gatherAndScatter(loop.client, loop.server, bytes)).isEqualTo(MessageDigest.getInstance("SHA-256").digest(bytes));
        assertThat(gatherAndScatter(loop.server, loop.client, bytes)).isEqualTo(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    /**
     * Wraps {@code bytes} from three source buffers at a time (heap and direct, uneven sizes) and
     * unwraps into three destinations; the digest of what arrived.
     */
    private static byte[] gatherAndScatter(SSLEngine from, SSLEngine to, byte[] bytes) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        ByteBuffer[] sources = {ByteBuffer.wrap(bytes, 0, 1000), ByteBuffer.allocateDirect(3 << 20), ByteBuffer.wrap(bytes)};
        sources[1].put(bytes, 1000, 3 << 20).flip();
        sources[2].position(1000 + (3 << 20));
        ByteBuffer network = ByteBuffer.allocateDirect(from.getSession().getPacketBufferSize());
        ByteBuffer[] destinations = {ByteBuffer.allocate(7), ByteBuffer.allocateDirect(9000),
                ByteBuffer.allocate(to.getSession().getApplicationBufferSize())};
        long received = 0;
        while (sources[2].hasRemaining() || received < bytes.length) {
            network.clear();
            SSLEngineResult wrapped = from.wrap(sources, network);
            assertThat(wrapped.getStatus()).isEqualTo(SSLEngineResult.Status.OK);
            assertThat(wrapped.bytesConsumed()).isBetween(1, 16384);
            network.flip();
            while (network.hasRemaining()) {
                for (ByteBuffer destination : destinations) {
                    destination.clear();
                }
                SSLEngineResult unwrapped = to.unwrap(network, destinations);
                assertThat(unwrapped.getStatus()).isEqualTo(SSLEngineResult.Status.OK);
                for (ByteBuffer destination : destinations) {
                    digest.update(destination.flip());
                }
                received += unwrapped.bytesProduced();
            }
        }
        return digest.digest();
    }

    @ParameterizedTest(name = "{0} client, {1} server, {2}")
    @MethodSource("pairs")
    void alpnAgreesOnTheServersChoice(Stack clientStack, Stack serverStack, String protocol) throws Exception {
        EngineLoop loop = EngineLoop.of(pki, clientStack, serverStack, protocol);
        SSLParameters offered = loop.client.getSSLParameters();
        offered.setApplicationProtocols(new String[] {"h2", "http/1.1"});
        loop.client.setSSLParameters(offered);
        SSLParameters accepted = loop.server.getSSLParameters();
        accepted.setApplicationProtocols(new String[] {"http/1.1"});
        loop.server.setSSLParameters(accepted);
        loop.handshake();
        assertThat(loop.client.getApplicationProtocol()).isEqualTo("http/1.1");
        assertThat(loop.server.getApplicationProtocol()).isEqualTo("http/1.1");
    }

    @ParameterizedTest(name = "{0} server")
    @EnumSource(Stack.class)
    void aServerChoosesItsCertificateByTheNameTheClientAsksForThroughItsKeyManager(Stack serverStack) throws Exception {
        KeyStore both = pki.keyStore(Kind.SERVER_EC256);
        KeyStore wrongHost = pki.keyStore(Kind.WRONG_HOST);
        String alias = wrongHost.aliases().nextElement();
        both.setKeyEntry(alias, wrongHost.getKey(alias, TestPki.keyStorePassword()), TestPki.keyStorePassword(),
                wrongHost.getCertificateChain(alias));
        KeyManagerFactory keys = KeyManagerFactory.getInstance("PKIX");
        keys.init(both, TestPki.keyStorePassword());
        RecordingKeyManager keyManager = new RecordingKeyManager((X509ExtendedKeyManager) keys.getKeyManagers()[0]);
        SSLContext serverContext = serverStack.provider == null ? SSLContext.getInstance("TLS") : SSLContext.getInstance("TLS", serverStack.provider);
        serverContext.init(new KeyManager[] {keyManager}, null, null);
        for (String name : List.of("wrong.example", "localhost")) {
            SSLEngine client = EngineLoop.clientContext(pki, Stack.JSSE).createSSLEngine();
            client.setUseClientMode(true);
            SSLParameters parameters = client.getSSLParameters();
            parameters.setServerNames(List.of(new SNIHostName(name)));
            client.setSSLParameters(parameters);
            SSLEngine server = serverContext.createSSLEngine();
            server.setUseClientMode(false);
            new EngineLoop(client, server).handshake();
            assertThat(((X509Certificate) client.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName())
                    .isEqualTo("CN=" + name);
            assertThat(((X509Certificate) server.getSession().getLocalCertificates()[0]).getSubjectX500Principal().getName())
                    .isEqualTo("CN=" + name);
            assertThat(((ExtendedSSLSession) server.getSession()).getRequestedServerNames()).containsExactly(new SNIHostName(name));
            assertThat(keyManager.requestedNames.getLast()).containsExactly(new SNIHostName(name));
        }
    }

    @ParameterizedTest(name = "{0} server")
    @EnumSource(Stack.class)
    void aServersProtocolSelectorChoosesAmongWhatTheClientOffers(Stack serverStack) throws Exception {
        for (String choice : List.of("h2", "")) {
            EngineLoop loop = EngineLoop.of(pki, Stack.JSSE, serverStack, "TLSv1.3");
            SSLParameters offered = loop.client.getSSLParameters();
            offered.setApplicationProtocols(new String[] {"http/1.1", "h2"});
            loop.client.setSSLParameters(offered);
            List<List<String>> seen = new ArrayList<>();
            loop.server.setHandshakeApplicationProtocolSelector((engine, protocols) -> {
                seen.add(List.copyOf(protocols));
                return choice;
            });
            loop.handshake();
            assertThat(seen).containsExactly(List.of("http/1.1", "h2"));
            assertThat(loop.server.getApplicationProtocol()).isEqualTo(choice);
            assertThat(loop.client.getApplicationProtocol()).isEqualTo(choice);
        }
    }

    @ParameterizedTest(name = "{0} server")
    @EnumSource(Stack.class)
    void aServersProtocolSelectorThatTakesNoneFailsTheHandshake(Stack serverStack) throws Exception {
        EngineLoop loop = EngineLoop.of(pki, Stack.JSSE, serverStack, "TLSv1.3");
        SSLParameters offered = loop.client.getSSLParameters();
        offered.setApplicationProtocols(new String[] {"http/1.1"});
        loop.client.setSSLParameters(offered);
        loop.server.setHandshakeApplicationProtocolSelector((engine, protocols) -> null);
        assertThatThrownBy(loop::handshake).isInstanceOf(SSLHandshakeException.class);
        assertThat(loop.server.isInboundDone()).isTrue();
    }

    @ParameterizedTest(name = "{0} client, {1} server, {2}")
    @MethodSource("pairs")
    void aServerThatNeedsClientAuthenticationGetsTheClientsChain(Stack clientStack, Stack serverStack, String protocol)
            throws Exception {
        SSLEngine client = pki.clientContext(Kind.CLIENT, clientStack.provider).createSSLEngine("localhost", 443);
        client.setUseClientMode(true);
        client.setEnabledProtocols(new String[] {protocol});
        SSLEngine server = EngineLoop.serverContext(pki, serverStack).createSSLEngine();
        server.setUseClientMode(false);
        server.setNeedClientAuth(true);
        new EngineLoop(client, server).handshake();
        assertThat(server.getSession().getPeerCertificates()).isInstanceOf(X509Certificate[].class);
        assertThat(((X509Certificate) server.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName())
                .isEqualTo("CN=reseau-client");
        assertThat(client.getSession().getLocalCertificates()).hasSize(2);
    }

    @Test
    void aServerThatNeedsClientAuthenticationRefusesAClientWithoutACertificate() throws Exception {
        EngineLoop loop = EngineLoop.of(pki, Stack.JSSE, Stack.RESEAU, "TLSv1.3");
        loop.server.setNeedClientAuth(true);
        assertThatThrownBy(loop::handshake).isInstanceOf(SSLHandshakeException.class);
        assertThat(loop.server.isInboundDone()).isTrue();
    }

    /** JSSE's alert for a client without the certificate a server requires, from Reseau's engine at once. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"TLSv1.3, certificate_required", "TLSv1.2, handshake_failure"})
    void aClientWithoutTheRequiredCertificateHearsTheAlertAJsseServerSends(String protocol, String alert) throws Exception {
        EngineLoop loop = EngineLoop.of(pki, Stack.JSSE, Stack.RESEAU, protocol);
        loop.server.setNeedClientAuth(true);
        assertThatThrownBy(loop::handshake).as("the server refuses").isInstanceOf(SSLHandshakeException.class);
        ByteBuffer records = ByteBuffer.allocate(loop.server.getSession().getPacketBufferSize());
        SSLEngineResult wrapped = loop.server.wrap(EngineLoop.EMPTY, records);
        assertThat(wrapped.getStatus()).isEqualTo(SSLEngineResult.Status.CLOSED);
        assertThat(wrapped.bytesProduced()).as("the alert's record").isPositive();
        assertThat(loop.server.isOutboundDone()).isTrue();
        records.flip();
        // A TLS 1.2 client may still have the rest of its flight to wrap: it reads once that is out.
        ByteBuffer rest = ByteBuffer.allocate(loop.client.getSession().getPacketBufferSize());
        while (loop.client.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_WRAP) {
            loop.client.wrap(EngineLoop.EMPTY, rest.clear());
        }
        assertThatThrownBy(() -> loop.client.unwrap(records, ByteBuffer.allocate(loop.client.getSession().getApplicationBufferSize())))
                .isInstanceOf(SSLException.class).hasMessageContaining(alert);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void theTrustManagerIsAskedWithTheEngineAndItsHandshakeSession(String protocol) throws Exception {
        RecordingTrustManager trust = new RecordingTrustManager(defaultTrustManager());
        SSLContext context = SSLContext.getInstance("TLS", SslSockets.RESEAU);
        context.init(null, new TrustManager[] {trust}, null);
        SSLEngine client = context.createSSLEngine("localhost", 8443);
        client.setUseClientMode(true);
        client.setEnabledProtocols(new String[] {protocol});
        SSLParameters parameters = client.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        client.setSSLParameters(parameters);
        SSLEngine server = EngineLoop.serverContext(pki, Stack.JSSE).createSSLEngine();
        server.setUseClientMode(false);
        new EngineLoop(client, server).handshake();
        assertThat(trust.engines).containsExactly(client);
        assertThat(trust.peerHosts).containsExactly("localhost:8443");
    }

    @Test
    void endpointIdentificationThroughTheEngineRefusesACertificateForAnotherHost() throws Exception {
        SSLEngine client = EngineLoop.clientContext(pki, Stack.RESEAU).createSSLEngine("localhost", 443);
        client.setUseClientMode(true);
        SSLParameters parameters = client.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        client.setSSLParameters(parameters);
        SSLEngine server = pki.serverContext(Kind.WRONG_HOST, null).createSSLEngine();
        server.setUseClientMode(false);
        assertThatThrownBy(() -> new EngineLoop(client, server).handshake())
                .isInstanceOf(SSLHandshakeException.class)
                .hasMessageContaining("localhost");
        assertThat(client.isInboundDone()).isTrue();
    }

    @Test
    void anEngineNeedsItsModeBeforeItsFirstStep() throws Exception {
        SSLEngine engine = EngineLoop.clientContext(pki, Stack.RESEAU).createSSLEngine();
        assertThat(engine.getUseClientMode()).isFalse();
        assertThat(engine.getHandshakeStatus()).isEqualTo(SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING);
        assertThatThrownBy(() -> engine.wrap(EngineLoop.EMPTY, ByteBuffer.allocate(20000)))
                .isInstanceOf(IllegalStateException.class).hasMessage("Client/Server mode has not yet been set.");
        assertThatThrownBy(engine::beginHandshake).isInstanceOf(IllegalStateException.class);
        engine.setUseClientMode(true);
        engine.beginHandshake();
        assertThat(engine.getHandshakeStatus()).isEqualTo(SSLEngineResult.HandshakeStatus.NEED_WRAP);
        assertThatThrownBy(() -> engine.setUseClientMode(false)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theSessionBeforeTheHandshakeSizesBuffersAndIsInvalid() {
        SSLEngine engine = EngineLoop.clientContext(pki, Stack.RESEAU).createSSLEngine("localhost", 443);
        SSLSession session = engine.getSession();
        assertThat(session.isValid()).isFalse();
        assertThat(session.getCipherSuite()).isEqualTo("SSL_NULL_WITH_NULL_NULL");
        assertThat(session.getPacketBufferSize()).isEqualTo(16709);
        assertThat(session.getApplicationBufferSize()).isGreaterThanOrEqualTo(16384);
        assertThat(engine.getPeerHost()).isEqualTo("localhost");
        assertThat(engine.getPeerPort()).isEqualTo(443);
    }

    @Test
    void aTls12ContextsClientOffersTls12AndItsServerAcceptsBoth() throws Exception {
        SSLContext context = SSLContext.getInstance("TLSv1.2", SslSockets.RESEAU);
        context.init(null, null, null);
        SSLEngine engine = context.createSSLEngine();
        assertThat(engine.getEnabledProtocols()).containsExactly("TLSv1.3", "TLSv1.2");
        engine.setUseClientMode(true);
        assertThat(engine.getEnabledProtocols()).containsExactly("TLSv1.2");
        engine.setUseClientMode(false);
        assertThat(engine.getEnabledProtocols()).containsExactly("TLSv1.3", "TLSv1.2");
    }

    static byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    private static X509ExtendedTrustManager defaultTrustManager() throws Exception {
        TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
        factory.init(pki.trustStore());
        return (X509ExtendedTrustManager) factory.getTrustManagers()[0];
    }

    /**
     * A key manager that chooses the entry whose subject is the name the client asked for, as the
     * server engine's handshake session tells it, and notes the names. (JSSE's own key manager
     * would not choose by SNI here: it ranks EC certificates without keyAgreement as mismatches
     * before it looks at names, and TestPki's have none.)
     */
    private static final class RecordingKeyManager extends X509ExtendedKeyManager {
        final List<List<SNIServerName>> requestedNames = new ArrayList<>();
        private final X509ExtendedKeyManager delegate;

        RecordingKeyManager(X509ExtendedKeyManager delegate) {
            this.delegate = delegate;
        }

        @Override
        public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
            List<SNIServerName> names = ((ExtendedSSLSession) engine.getHandshakeSession()).getRequestedServerNames();
            requestedNames.add(names);
            for (String alias : delegate.getServerAliases(keyType, issuers)) {
                String subject = delegate.getCertificateChain(alias)[0].getSubjectX500Principal().getName();
                if (names.stream().anyMatch(name -> subject.equals("CN=" + ((SNIHostName) name).getAsciiName()))) {
                    return alias;
                }
            }
            return null;
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
            return delegate.chooseEngineClientAlias(keyType, issuers, engine);
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return delegate.getClientAliases(keyType, issuers);
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return delegate.chooseClientAlias(keyType, issuers, socket);
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return delegate.getServerAliases(keyType, issuers);
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return delegate.chooseServerAlias(keyType, issuers, socket);
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return delegate.getCertificateChain(alias);
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return delegate.getPrivateKey(alias);
        }
    }

    /** A trust manager that notes which engine asked, and the peer of its handshake session, then decides as the default does. */
    private static final class RecordingTrustManager extends X509ExtendedTrustManager {
        final List<SSLEngine> engines = new ArrayList<>();
        final List<String> peerHosts = new ArrayList<>();
        private final X509ExtendedTrustManager delegate;

        RecordingTrustManager(X509ExtendedTrustManager delegate) {
            this.delegate = delegate;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            engines.add(engine);
            peerHosts.add(engine.getHandshakeSession().getPeerHost() + ":" + engine.getHandshakeSession().getPeerPort());
            delegate.checkServerTrusted(chain, authType, engine);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            delegate.checkClientTrusted(chain, authType, engine);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            throw new CertificateException("asked for a socket");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            throw new CertificateException("asked for a socket");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("asked without the engine");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("asked without the engine");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return delegate.getAcceptedIssuers();
        }
    }
}
