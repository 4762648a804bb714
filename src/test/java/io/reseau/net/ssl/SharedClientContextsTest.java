package io.reseau.net.ssl;

import static io.reseau.net.ssl.SslSockets.RESEAU;
import static io.reseau.net.ssl.SslSockets.echoOnce;
import static io.reseau.net.ssl.SslSockets.roundTrip;
import static io.reseau.net.ssl.SslSockets.serveEach;
import static io.reseau.net.ssl.SslSockets.server;
import static org.assertj.core.api.Assertions.assertThat;

import io.reseau.testing.Polling;
import io.reseau.testing.TestPki;
import io.reseau.testing.TestPki.Kind;
import io.reseau.tls.CipherSuites;
import io.reseau.tls.ClientAuth;
import io.reseau.tls.TlsContext;
import java.io.IOException;
import java.lang.ref.WeakReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509KeyManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clients' s2n contexts are shared by SSLContexts initialised with equal key material and trust
 * (from different manager objects, as an application that makes an SSLContext per connection
 * has), never between ones that differ, and a shared one lives exactly as long as its last user.
 */
@Timeout(60)
class SharedClientContextsTest {
    private static final Set<String> TLS13_AND_12 = Set.of("TLSv1.3", "TLSv1.2");
    private static TestPki pki;

    @BeforeAll
    static void generatePki(@TempDir Path dir) {
        pki = TestPki.generate(dir);
    }

    @Test
    void configurationsWithEqualKeyMaterialAndTrustShareTheirClientsContext() throws Exception {
        SslConfiguration first = configuration(Kind.CLIENT, rootTrust());
        SslConfiguration second = configuration(Kind.CLIENT, rootTrust());

        assertThat(clientContext(second, TLS13_AND_12)).isSameAs(clientContext(first, TLS13_AND_12));
        // A server's holds its SSLContext's ticket keys: never shared.
        SslConfiguration firstServer = configuration(Kind.SERVER_EC256, rootTrust());
        SslConfiguration secondServer = configuration(Kind.SERVER_EC256, rootTrust());
        assertThat(secondServer.context(false, TLS13_AND_12, ClientAuth.NONE))
                .isNotSameAs(firstServer.context(false, TLS13_AND_12, ClientAuth.NONE));
    }

    @Test
    void configurationsThatDifferInAnythingTheContextHoldsHaveTheirOwn() throws Exception {
        TlsContext base = clientContext(configuration(null, rootTrust()), TLS13_AND_12);

        assertThat(clientContext(configuration(Kind.CLIENT, rootTrust()), TLS13_AND_12)).as("a client certificate").isNotSameAs(base);
        assertThat(clientContext(configuration(null, trustOnly(Kind.SELF_SIGNED)), TLS13_AND_12)).as("other trust").isNotSameAs(base);
        assertThat(clientContext(configuration(null, null), TLS13_AND_12)).as("the system's trust").isNotSameAs(base);
        assertThat(clientContext(configuration(null, rootTrust()), Set.of("TLSv1.2"))).as("other protocols").isNotSameAs(base);
        String tickets = SslConfiguration.CLIENT_TICKETS;
        System.setProperty(tickets, "false");
        try {
            assertThat(clientContext(configuration(null, rootTrust()), TLS13_AND_12)).as("tickets off").isNotSameAs(base);
        } finally {
            System.clearProperty(tickets);
        }
        assertThat(clientContext(configuration(null, rootTrust()), TLS13_AND_12)).as("the same again").isSameAs(base);
    }

    @Test
    void aClientKeepsItsSharedContextWhenAnotherUserIsDroppedAndTheLastOneFreesIt() throws Exception {
        SslConfiguration kept = configuration(null, rootTrust());
        SslConfiguration dropped = configuration(null, rootTrust());
        TlsContext shared = clientContext(dropped, TLS13_AND_12);
        assertThat(clientContext(kept, TLS13_AND_12)).isSameAs(shared);
        WeakReference<SslConfiguration> droppedRef = new WeakReference<>(dropped);
        dropped = null;
        collect(droppedRef);
        // Its cleaner leaves the shared context on the cleaner's thread right after; nothing shows
        // that it has, so a moment's wait (were the cleaner later, this would test less, never fail wrongly).
        Thread.sleep(100);

        assertThat(echoThrough(kept)).isEqualTo("TLSv1.3");

        WeakReference<TlsContext> sharedRef = new WeakReference<>(shared);
        shared = null;
        kept = null;
        collect(sharedRef); // the pool let go of it too
    }

    /** A round trip with a Reseau server through a socket of {@code configuration}: the protocol. */
    @Test
    void sslContextsMadeAndDroppedOnManyThreadsWhileCollectedAllHandshake() throws Exception {
        int clients = 8;
        int contextsEach = 5;
        int connectionsPerContext = 3; // a context closed under its configuration fails the next ones
        Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
        AtomicBoolean done = new AtomicBoolean();
        try (SSLServerSocket server = server(pki.serverContext(Kind.SERVER_EC256, RESEAU))) {
            Thread.ofVirtual().start(() -> serveEach(server,
                    accepted -> accepted.getInputStream().transferTo(accepted.getOutputStream())));
            // Collections run the dropped contexts' cleaners, so that configurations leave the shared
            // context while others are joining it.
            Thread collector = Thread.ofPlatform().start(() -> {
                while (!done.get()) {
                    System.gc();
                    LockSupport.parkNanos(20_000_000);
                }
            });
            List<Thread> threads = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                threads.add(Thread.ofVirtual().start(() -> {
                    for (int i = 0; i < contextsEach; i++) {
                        SSLContext context = pki.clientContext(null, RESEAU); // fresh managers each time
                        for (int j = 0; j < connectionsPerContext; j++) {
                            try (SSLSocket client = (SSLSocket) context.getSocketFactory().createSocket("localhost",
                                    server.getLocalPort())) {
                                assertThat(roundTrip(client, "hello")).isEqualTo("hello".getBytes(StandardCharsets.UTF_8));
                            } catch (Throwable t) {
                                failures.add(t);
                            }
                        }
                    }
                }));
            }
            for (Thread thread : threads) {
                thread.join();
            }
            done.set(true);
            collector.join();
        }
        assertThat(failures).isEmpty();
    }

    private static String echoThrough(SslConfiguration configuration) throws Exception {
        try (SSLServerSocket server = server(pki.serverContext(Kind.SERVER_EC256, RESEAU))) {
            var echoed = echoOnce(server);
            var sockets = new ReseauSSLSocketFactory(configuration,
                    new SSLParameters(CipherSuites.supported().toArray(String[]::new), TLS13_AND_12.toArray(String[]::new)), new SSLParameters());
            try (SSLSocket client = (SSLSocket) sockets.createSocket("localhost", server.getLocalPort())) {
                assertThat(new String(roundTrip(client, "still shared"), StandardCharsets.UTF_8)).isEqualTo("still shared");
            }
            return echoed.get().getProtocol();
        }
    }

    private static void collect(WeakReference<?> reference) throws InterruptedException {
        Polling.await(() -> {
            System.gc();
            return reference.get() == null;
        }, "collected");
    }

    private static TlsContext clientContext(SslConfiguration configuration, Set<String> protocols) throws Exception {
        return configuration.context(true, protocols, ClientAuth.NONE);
    }

    /** A configuration as an SSLContext initialised with fresh managers makes it; null trust: none. */
    private static SslConfiguration configuration(Kind key, X509TrustManager trust) throws GeneralSecurityException {
        X509KeyManager keys = null;
        if (key != null) {
            KeyManagerFactory factory = KeyManagerFactory.getInstance("PKIX");
            factory.init(pki.keyStore(key), TestPki.keyStorePassword());
            keys = (X509KeyManager) factory.getKeyManagers()[0];
        }
        ServerSessionContext serverSessions = new ServerSessionContext();
        return new SslConfiguration(keys, trust, new ClientSessionCache(), serverSessions, new TicketKeyRing(serverSessions));
    }

    private static X509TrustManager rootTrust() throws GeneralSecurityException {
        return trustManager(pki.trustStore());
    }

    private static X509TrustManager trustOnly(Kind kind) throws GeneralSecurityException {
        KeyStore store = pki.keyStore(kind);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        try {
            trust.load(null, null);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        String alias = store.aliases().nextElement();
        trust.setCertificateEntry("only", (X509Certificate) store.getCertificate(alias));
        return trustManager(trust);
    }

    private static X509TrustManager trustManager(KeyStore store) throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        return (X509TrustManager) factory.getTrustManagers()[0];
    }
}
