package io.reseau.net.ssl;

import static io.reseau.net.ssl.SslSockets.RESEAU;
import static io.reseau.net.ssl.SslSockets.roundTrip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reseau.cli.bench.CountingTrustManager;
import io.reseau.net.ssl.EngineLoop.Stack;
import io.reseau.testing.OpenSslPeer;
import io.reseau.testing.Polling;
import io.reseau.testing.TestPki;
import io.reseau.testing.TestPki.Kind;
import io.reseau.tls.TlsSessionTicket;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Session resumption through tickets, TLS 1.3 and 1.2, on sockets and engines, between Reseau and
 * JSSE in every direction. A handshake counts as resumed when s2n says so (on a Reseau end) and the
 * client's trust manager was not asked about the server's certificate again (on either stack: a
 * resumed handshake presents none). The cache's rules (size, timeout, invalidation) and the
 * switches that turn resumption off are run on JSSE's client too, where it shows the same.
 */
@Timeout(60)
class SessionResumptionTest {
    private static final String TLS13 = "TLSv1.3";
    private static final String TLS12 = "TLSv1.2";
    private static TestPki pki;

    @BeforeAll
    static void generatePki(@TempDir Path dir) {
        pki = TestPki.generate(dir);
    }

    @ParameterizedTest
    @ValueSource(strings = {TLS13, TLS12})
    void aReseauClientResumesItsSessionWithAReseauServerAndKeepsItsCertificatesAndProtocol(String protocol) throws Exception {
        Client client = Client.of(Stack.RESEAU);
        try (Server server = Server.start(pki.serverContext(Kind.SERVER_EC256, RESEAU))) {
            Connection full = client.connect(server, protocol);
            assertThat(full.resumed()).isFalse();
            assertThat(server.nextResumed()).isFalse();
            assertThat(client.trust.serverChecks()).isEqualTo(1);
            List<String> cached = client.awaitCachedIds();

            Connection resumed = client.connect(server, protocol);
            assertThat(resumed.resumed()).as("s2n's report").isTrue();
            assertThat(server.nextResumed()).as("the server's s2n").isTrue();
            assertThat(client.trust.serverChecks()).as("certificates checked").isEqualTo(1);
            SSLSession first = full.session();
            SSLSession again = resumed.session();
            assertThat(again.getPeerCertificates()).isEqualTo(first.getPeerCertificates());
            assertThat(again.getProtocol()).isEqualTo(protocol);
            assertThat(again.getCipherSuite()).isEqualTo(first.getCipherSuite());
            assertThat(resumed.applicationProtocol()).isEqualTo("h2").isEqualTo(full.applicationProtocol());
            assertThat(again.getSessionContext()).isSameAs(client.context.getClientSessionContext());
            assertThat(again.getId()).hasSize(32);
            assertThat(cached).containsExactly(hex(again.getId()));
            if (protocol.equals(TLS12)) {
                // JSSE's: a TLS 1.2 resumption reports the session it resumed.
                assertThat(again).isSameAs(first);
            } else {
                // JSSE's: each TLS 1.3 ticket resumes a session of its own, used once.
                assertThat(again.getId()).isNotEqualTo(first.getId());
                assertThat(again.getCreationTime()).isEqualTo(first.getCreationTime());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {TLS13, TLS12})
    void aReseauClientResumesWithAJsseServer(String protocol) throws Exception {
        Client client = Client.of(Stack.RESEAU);
        try (Server server = Server.start(pki.jsseServerContext(Kind.SERVER_EC256))) {
            assertThat(client.connect(server, protocol).resumed()).isFalse();
            client.awaitCachedIds();
            Connection resumed = client.connect(server, protocol);
            assertThat(resumed.resumed()).isTrue();
            assertThat(client.trust.serverChecks()).isEqualTo(1);
            assertThat(resumed.session().getPeerCertificates()).isNotEmpty();
            assertThat(resumed.applicationProtocol()).isEqualTo("h2");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {TLS13, TLS12})
    void aJsseClientResumesWithAReseauServer(String protocol) throws Exception {
        Client client = Client.of(Stack.JSSE);
        try (Server server = Server.start(pki.serverContext(Kind.SERVER_RSA, RESEAU))) {
            client.connect(server, protocol);
            assertThat(server.nextResumed()).isFalse();
            Connection resumed = client.connect(server, protocol);
            assertThat(server.nextResumed()).isTrue();
            assertThat(client.trust.serverChecks()).isEqualTo(1);
            assertThat(resumed.applicationProtocol()).isEqualTo("h2");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {TLS13, TLS12})
    void reseauEnginesResumeByTheirPeerHostAndPort(String protocol) throws Exception {
        Client client = Client.of(Stack.RESEAU);
        SSLContext serverContext = pki.serverContext(Kind.SERVER_EC256, RESEAU);
        EngineLoop full = engines(client, serverContext, protocol, "localhost").handshake();
        assertThat(((ReseauSSLEngine) full.client).negotiation().resumed()).isFalse();
        client.awaitCachedIds();

        EngineLoop resumed = engines(client, serverContext, protocol, "localhost").handshake();
        assertThat(((ReseauSSLEngine) resumed.client).negotiation().resumed()).isTrue();
        assertThat(((ReseauSSLEngine) resumed.server).negotiation().resumed()).isTrue();
        assertThat(client.trust.serverChecks()).isEqualTo(1);
        assertThat(resumed.client.getSession().getPeerCertificates()).isEqualTo(full.client.getSession().getPeerCertificates());
        assertThat(resumed.client.getApplicationProtocol()).isEqualTo("h2");

        EngineLoop otherPort = engines(client, serverContext, protocol, "localhost", 444).handshake();
        assertThat(((ReseauSSLEngine) otherPort.client).negotiation().resumed()).as("another peer").isFalse();
    }

    @Test
    void anEngineWithoutAPeerHostResumesNothing() throws Exception {
        Client client = Client.of(Stack.RESEAU);
        SSLContext serverContext = pki.serverContext(Kind.SERVER_EC256, RESEAU);
        for (int i = 0; i < 2; i++) {
            EngineLoop loop = engines(client, serverContext, TLS13, null).handshake();
            assertThat(((ReseauSSLEngine) loop.client).negotiation().resumed()).isFalse();
        }
        assertThat(client.trust.serverChecks()).isEqualTo(2);
        assertThat(Collections.list(client.context.getClientSessionContext().getIds())).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Stack.class)
    void theCacheKeepsTheSessionsOfAsManyPeersAsItsSizeAllows(Stack stack) throws Exception {
        Client client = Client.of(stack);
        client.context.getClientSessionContext().setSessionCacheSize(1);
        SSLContext serverContext = pki.serverContext(Kind.SERVER_EC256, RESEAU);
        try (Server first = Server.start(serverContext); Server second = Server.start(serverContext)) {
            client.connect(first, TLS12);
            assertThat(first.nextResumed()).isFalse();
            client.connect(second, TLS12); // the only place goes to the second server's session
            assertThat(second.nextResumed()).isFalse();
            client.connect(second, TLS12);
            assertThat(second.nextResumed()).as("the second server's session, kept").isTrue();
            client.connect(first, TLS12);
            assertThat(first.nextResumed()).as("the first server's session, dropped").isFalse();
            assertThat(client.trust.serverChecks()).isEqualTo(3);
        }
    }

    @ParameterizedTest
    @EnumSource(Stack.class)
    void aSessionOlderThanTheTimeoutIsNotResumed(Stack stack) throws Exception {
        Client client = Client.of(stack);
        client.context.getClientSessionContext().setSessionTimeout(2);
        try (Server server = Server.start(pki.serverContext(Kind.SERVER_EC256, RESEAU))) {
            SSLSession session = client.connect(server, TLS12).session();
            assertThat(server.nextResumed()).isFalse();
            client.connect(server, TLS12);
            assertThat(server.nextResumed()).as("within its two seconds").isTrue();
            Polling.await(() -> System.currentTimeMillis() > session.getCreationTime() + 2000, Polling.TIMEOUT,
                    "the session's two seconds to pass");
            client.connect(server, TLS12);
            assertThat(server.nextResumed()).as("after them").isFalse();
            assertThat(client.trust.serverChecks()).isEqualTo(2);
        }
    }

    /** The session invalidated is the first one: in TLS 1.3 the one cached then is a ticket's, after a resumption. */
    @ParameterizedTest
    @EnumSource(Stack.class)
    void aSessionInvalidatedIsNotResumedNorAreTheSessionsOfItsTickets(Stack stack) throws Exception {
        for (String protocol : List.of(TLS13, TLS12)) {
            Client client = Client.of(stack);
            try (Server server = Server.start(pki.serverContext(Kind.SERVER_EC256, RESEAU))) {
                SSLSession first = client.connect(server, protocol).session();
                assertThat(server.nextResumed()).isFalse();
                client.connect(server, protocol);
                assertThat(server.nextResumed()).as(protocol + " resumed").isTrue();
                if (stack == Stack.RESEAU) {
                    client.awaitCachedIds();
                }
                first.invalidate();
                assertThat(first.isValid()).isFalse();
                client.connect(server, protocol);
                assertThat(server.nextResumed()).as(protocol + " after the invalidation").isFalse();
                assertThat(client.trust.serverChecks()).isEqualTo(2);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {TLS13, TLS12})
    void jssesClientPropertyTurnsAReseauClientsTicketsOff(String protocol) throws Exception {
        Client without = withTicketsOff(SslConfiguration.CLIENT_TICKETS, () -> Client.of(Stack.RESEAU));
        Client with = Client.of(Stack.RESEAU);
        try (Server server = Server.start(pki.serverContext(Kind.SERVER_EC256, RESEAU))) {
            for (int i = 0; i < 2; i++) {
                assertThat(without.connect(server, protocol).resumed()).isFalse();
                assertThat(server.nextResumed()).isFalse();
                assertThat(with.connect(server, protocol).resumed()).isEqualTo(i == 1);
                assertThat(server.nextResumed()).isEqualTo(i == 1);
            }
            assertThat(without.trust.serverChecks()).isEqualTo(2);
            assertThat(Collections.list(without.context.getClientSessionContext().getIds())).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Stack.class)
    void jssesServerPropertyTurnsAReseauServersTicketsOff(Stack stack) throws Exception {
        Client client = Client.of(stack);
        SSLContext serverContext = withTicketsOff(SslConfiguration.SERVER_TICKETS, () -> pki.serverContext(Kind.SERVER_EC256, RESEAU));
        try (Server without = Server.start(serverContext); Server with = Server.start(pki.serverContext(Kind.SERVER_EC256, RESEAU))) {
            for (String protocol : List.of(TLS13, TLS12)) {
                for (int i = 0; i < 2; i++) {
                    client.connect(without, protocol);
                    assertThat(without.nextResumed()).as(protocol).isFalse();
                    client.connect(with, protocol);
                    assertThat(with.nextResumed()).as(protocol).isEqualTo(i == 1);
                }
            }
            assertThat(client.trust.serverChecks()).isEqualTo(6);
        }
    }

    @ParameterizedTest
    @EnumSource(Stack.class)
    void aClientOfferingATicketToAServerThatNowRequiresCertificatesHearsTheAlertWithinASecond(Stack stack) throws Exception {
        Client client = Client.of(stack);
        try (Server server = Server.start(pki.serverContext(Kind.SERVER_EC256, RESEAU))) {
            client.connect(server, TLS13);
            assertThat(server.nextResumed()).isFalse();
            client.connect(server, TLS13);
            assertThat(server.nextResumed()).as("resumed: the client has tickets").isTrue();
            server.socket().setNeedClientAuth(true);
            try (SSLSocket socket = client.open(server, TLS13)) {
                socket.setSoTimeout(1_000);
                // The alert, not the read timing out: the server's first protected record.
                assertThatThrownBy(() -> roundTrip(socket, "resume?")).isInstanceOf(SSLException.class)
                        .hasMessageContaining(stack == Stack.RESEAU ? "alert 116" : "certificate_required");
            }
        }
    }

    /** JSSE keeps its ticket keys in the SSLContext, across its initialisations: so does Reseau. */
    @ParameterizedTest
    @EnumSource(Stack.class)
    void aServerContextInitialisedAgainResumesTheTicketsItIssuedBefore(Stack serverStack) throws Exception {
        Client client = Client.of(Stack.RESEAU);
        SSLContext serverContext = pki.serverContext(Kind.SERVER_EC256, serverStack.provider);
        for (String protocol : List.of(TLS13, TLS12)) {
            int port;
            try (Server server = Server.start(serverContext)) {
                port = server.port();
                assertThat(client.connect(server, protocol).resumed()).isFalse();
                client.awaitCachedIds();
            }
            KeyManagerFactory keys = KeyManagerFactory.getInstance("PKIX");
            keys.init(pki.keyStore(Kind.SERVER_EC256), TestPki.keyStorePassword());
            serverContext.init(keys.getKeyManagers(), null, null);
            try (Server server = Server.start(serverContext, port)) { // the client caches by host and port
                assertThat(client.connect(server, protocol).resumed()).as(protocol).isTrue();
            }
        }
    }

    /** A ticket that arrives once its session's lineage was invalidated is not kept (engines time its arrival). */
    @Test
    void aTicketArrivingAfterAnEarlierSessionOfItsLineageWasInvalidatedIsNotKept() throws Exception {
        Client client = Client.of(Stack.RESEAU);
        SSLContext serverContext = pki.serverContext(Kind.SERVER_EC256, RESEAU);
        SSLSession first = engines(client, serverContext, TLS13, "localhost").handshake().client.getSession();
        client.awaitCachedIds();

        EngineLoop resuming = engines(client, serverContext, TLS13, "localhost");
        resuming.client.beginHandshake();
        resuming.server.beginHandshake();
        while (!resuming.serverStatuses.contains(SSLEngineResult.HandshakeStatus.FINISHED)) {
            assertThat(resuming.turn()).as("the handshake moves").isTrue();
        }
        assertThat(((ReseauSSLEngine) resuming.client).negotiation().resumed()).isTrue();
        first.invalidate();
        while (resuming.turn()) {
            // the server's ticket reaches the client
        }
        assertThat(resuming.toClient.position()).isZero();
        assertThat(Collections.list(client.context.getClientSessionContext().getIds())).as("the ticket dropped").isEmpty();
    }

    @Test
    void ticketsLeavingTheCacheAreDestroyed() throws Exception {
        Client client = Client.of(Stack.RESEAU);
        ClientSessionCache cache = (ClientSessionCache) client.context.getClientSessionContext();
        cache.setSessionCacheSize(1);
        SSLContext serverContext = pki.serverContext(Kind.SERVER_EC256, RESEAU);
        try (Server first = Server.start(serverContext); Server second = Server.start(serverContext)) {
            TlsSessionTicket evicted = cachedTicket(cache, client.connect(first, TLS12).session(), first);
            assertThat(evicted.isDestroyed()).isFalse();
            SSLSession kept = client.connect(second, TLS12).session();
            assertThat(evicted.isDestroyed()).as("the first peer's, evicted").isTrue();
            TlsSessionTicket invalidated = cachedTicket(cache, kept, second);
            kept.invalidate();
            assertThat(invalidated.isDestroyed()).as("the second peer's, invalidated").isTrue();
        }
    }

    /** The ticket the cache holds for a TLS 1.2 {@code session} (offering one leaves it there). */
    private static TlsSessionTicket cachedTicket(ClientSessionCache cache, SSLSession session, Server server) {
        ClientSessionCache.Entry entry = cache.take(ClientSessionCache.peer("localhost", server.port()), List.of(TLS12),
                ((ExtendedSSLSession) session).getRequestedServerNames(), "HTTPS");
        assertThat(entry).as("a session to resume").isNotNull();
        return entry.ticket();
    }

    @ParameterizedTest
    @ValueSource(strings = {TLS13, TLS12})
    void openSslsClientResumesTheSessionItSavedWithAReseauServer(String protocol, @TempDir Path dir) throws Exception {
        Path saved = dir.resolve("session.pem");
        try (Server server = Server.start(pki.serverContext(Kind.SERVER_EC256, RESEAU))) {
            OpenSslPeer.ClientOptions client = OpenSslPeer.ClientOptions.connect(server.port()).withCaFile(pki.rootCertificate())
                    .withProtocols(protocol, protocol).withInput("resume?\n").withTimeout(Duration.ofSeconds(10));
            OpenSslPeer.ClientResult full = OpenSslPeer.client(client.withExtraArgs("-sess_out", saved.toString()));
            assertThat(full.output()).contains("New, ").contains("resume?");
            assertThat(server.nextResumed()).isFalse();
            OpenSslPeer.ClientResult resumed = OpenSslPeer.client(client.withExtraArgs("-sess_in", saved.toString()));
            assertThat(resumed.output()).as("s_client's report").contains("Reused, ").contains("resume?");
            assertThat(server.nextResumed()).as("the server's s2n").isTrue();
        }
    }

    /**
     * The session got right after startHandshake is the connection's own, so that invalidating it
     * leaves nothing to resume (D4 of the benchmark does so). Not run on JSSE's client: it caches
     * the session of a TLS 1.3 ticket that arrives after the invalidation, and resumes it.
     */
    @Test
    void aSessionInvalidatedRightAfterTheHandshakeIsNotResumed() throws Exception {
        Client client = Client.of(Stack.RESEAU);
        int connections = 40;
        try (Server server = Server.start(pki.serverContext(Kind.SERVER_EC256, RESEAU))) {
            for (int i = 0; i < connections; i++) {
                try (SSLSocket socket = client.open(server, TLS13)) {
                    socket.startHandshake();
                    SSLSession session = socket.getSession();
                    assertThat(session.isValid()).as("the session of handshake %d", i).isTrue();
                    assertThat(session.getProtocol()).isEqualTo(TLS13);
                    session.invalidate();
                    assertThat(roundTrip(socket, "resume?")).hasSize(7);
                }
            }
            assertThat(client.trust.serverChecks()).as("full handshakes").isEqualTo(connections);
        }
    }

    // ---- helpers ----

    private interface Make<T> {
        T make() throws Exception;
    }

    /** What {@code make} makes while the system property {@code name} is "false". */
    private static <T> T withTicketsOff(String name, Make<T> make) throws Exception {
        String before = System.getProperty(name);
        System.setProperty(name, "false");
        try {
            return make.make();
        } finally {
            if (before == null) {
                System.clearProperty(name);
            } else {
                System.setProperty(name, before);
            }
        }
    }

    private static EngineLoop engines(Client client, SSLContext serverContext, String protocol, String host) {
        return engines(client, serverContext, protocol, host, 443);
    }

    private static EngineLoop engines(Client client, SSLContext serverContext, String protocol, String host, int port) {
        SSLEngine clientEngine = host == null ? client.context.createSSLEngine() : client.context.createSSLEngine(host, port);
        clientEngine.setUseClientMode(true);
        SSLParameters parameters = client.parameters(clientEngine.getSSLParameters(), protocol);
        if (host == null) {
            parameters.setEndpointIdentificationAlgorithm(null); // no host to identify
        }
        clientEngine.setSSLParameters(parameters);
        SSLEngine serverEngine = serverContext.createSSLEngine();
        serverEngine.setUseClientMode(false);
        SSLParameters serverParameters = serverEngine.getSSLParameters();
        serverParameters.setApplicationProtocols(new String[] {"h2"});
        serverEngine.setSSLParameters(serverParameters);
        return new EngineLoop(clientEngine, serverEngine);
    }

    private static String hex(byte[] id) {
        return HexFormat.of().formatHex(id);
    }

    /** What a client connection ended with. */
    private record Connection(SSLSession session, String applicationProtocol, Boolean reseauResumed) {
        boolean resumed() {
            return reseauResumed;
        }
    }

    /** A client SSLContext of one stack, trusting the test root through a counting trust manager. */
    private record Client(SSLContext context, CountingTrustManager trust) {
        static Client of(Stack stack) throws GeneralSecurityException {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(pki.trustStore());
            CountingTrustManager trust = CountingTrustManager.around(factory.getTrustManagers());
            SSLContext context = stack.provider == null ? SSLContext.getInstance("TLS") : SSLContext.getInstance("TLS", stack.provider);
            context.init(null, new TrustManager[] {trust}, null);
            return new Client(context, trust);
        }

        SSLParameters parameters(SSLParameters parameters, String protocol) {
            parameters.setProtocols(new String[] {protocol});
            parameters.setApplicationProtocols(new String[] {"h2", "http/1.1"});
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            return parameters;
        }

        /** A socket to {@code server} offering only {@code protocol}, its handshake not begun. */
        SSLSocket open(Server server, String protocol) throws IOException {
            SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("localhost", server.port());
            socket.setSSLParameters(parameters(socket.getSSLParameters(), protocol));
            return socket;
        }

        /** Connects to {@code server}, proves the connection with an echo, and closes. */
        Connection connect(Server server, String protocol) throws IOException {
            try (SSLSocket socket = open(server, protocol)) {
                assertThat(roundTrip(socket, "resume?")).asString(StandardCharsets.UTF_8).isEqualTo("resume?");
                Boolean resumed = socket instanceof ReseauSSLSocket reseau ? reseau.negotiation().resumed() : null;
                return new Connection(socket.getSession(), socket.getApplicationProtocol(), resumed);
            }
        }

        /** The ids the cache lists, once it lists one: the ticket has arrived. */
        List<String> awaitCachedIds() throws InterruptedException {
            List<String> ids = Polling.until(() -> Collections.list(context.getClientSessionContext().getIds()).stream()
                    .map(SessionResumptionTest::hex).toList(), list -> !list.isEmpty());
            assertThat(ids).as("a session to resume").isNotEmpty();
            return ids;
        }
    }

    /** An echo server whose connections report, in order, whether they resumed a session (Reseau's alone can tell). */
    private record Server(SSLServerSocket socket, BlockingQueue<Object> outcomes) implements AutoCloseable {
        static Server start(SSLContext context) throws IOException {
            return start(context, 0);
        }

        static Server start(SSLContext context, int port) throws IOException {
            SSLServerSocket socket = (SSLServerSocket) context.getServerSocketFactory().createServerSocket(port, 50,
                    InetAddress.getLoopbackAddress());
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setApplicationProtocols(new String[] {"h2"});
            socket.setSSLParameters(parameters);
            Server server = new Server(socket, new LinkedBlockingQueue<>());
            Thread.ofVirtual().start(server::serve);
            return server;
        }

        int port() {
            return socket.getLocalPort();
        }

        private void serve() {
            try {
                while (true) {
                    SSLSocket accepted = (SSLSocket) socket.accept();
                    Thread.ofVirtual().start(() -> outcomes.add(echo(accepted)));
                }
            } catch (IOException e) {
                // closed: done
            }
        }

        private static Object echo(SSLSocket accepted) {
            try (accepted) {
                InputStream in = accepted.getInputStream();
                OutputStream out = accepted.getOutputStream();
                byte[] buffer = new byte[1024];
                // Until the client closes, or ends a line: s_client waits for the server to close.
                for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                    out.write(buffer, 0, n);
                    if (buffer[n - 1] == '\n') {
                        break;
                    }
                }
                return accepted instanceof ReseauSSLSocket reseau ? reseau.negotiation().resumed() : "not Reseau";
            } catch (IOException e) {
                return e;
            }
        }

        /** Whether the next connection the server served resumed its session. */
        boolean nextResumed() throws InterruptedException {
            Object outcome = outcomes.poll(10, TimeUnit.SECONDS);
            assertThat(outcome).as("the server's connection").isInstanceOf(Boolean.class);
            return (Boolean) outcome;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
