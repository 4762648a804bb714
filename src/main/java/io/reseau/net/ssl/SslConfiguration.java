package io.reseau.net.ssl;

import io.reseau.common.IoErrorException;
import io.reseau.tls.ClientAuth;
import io.reseau.tls.Pem;
import io.reseau.tls.TlsContext;
import io.reseau.tls.TlsContextOptions;
import io.reseau.tls.TlsSessionTickets;
import io.reseau.tls.TlsVersion;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509KeyManager;
import javax.net.ssl.X509TrustManager;

/**
 * What one initialised {@code SSLContext} holds: its key and trust managers, and the s2n contexts
 * built from them. s2n fixes versions and client authentication per context (config), so there
 * is one {@link TlsContext} per combination sockets ask for, built on first use and given up when
 * the SSLContext is unreachable (every socket holds this, so none is in use then). A client's is
 * shared with every SSLContext that has equal key material and trust ({@link SharedClientContexts}).
 *
 * <p>Resumption: clients ask for session tickets and keep sessions in the context's
 * {@link ClientSessionCache}; servers that do not ask for client certificates issue tickets under
 * the keys of the SSLContext's {@link TicketKeyRing}, and their contexts are built again as it rotates (the replaced ones stay open for one more rotation,
 * for the handshakes that already chose them). JSSE's switches turn tickets off, read when the
 * SSLContext is initialised: {@value #CLIENT_TICKETS} and {@value #SERVER_TICKETS} "false". As
 * Reseau resumes only through tickets, that turns resumption off.
 *
 * <p>Trust: with an {@link X509TrustManager}, s2n verifies the chain against the manager's
 * accepted issuers, and the manager then has the last word (with endpoint identification), as
 * JSSE does; without one, s2n verifies against the system's trust store and checks the host name
 * itself. A manager that accepts no issuers (a trust-all manager, say) turns s2n's verification
 * off: s2n then keeps no chain, so the manager is asked about an empty one.
 */
final class SslConfiguration {
    /** The protocols a Reseau socket can enable, by JSSE's names. */
    static final List<String> SUPPORTED_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2", "TLSv1.1", "TLSv1");
    /** s2n's TLS 1.2-only policy, pinned (its "default" in 1.5.23). */
    private static final String POLICY_TLS12_ONLY = "20240501";
    private static final String[] KEY_TYPES = {"EC", "RSA"};

    static final String CLIENT_TICKETS = "jdk.tls.client.enableSessionTicketExtension";
    static final String SERVER_TICKETS = "jdk.tls.server.enableSessionTicketExtension";

    /** {@code alias}: the key manager's entry the context presents, or null for none. */
    private record Key(boolean client, Set<String> protocols, ClientAuth clientAuth, String alias) {}

    /**
     * A context, the generation of ticket keys it was built with (0: none), and how this
     * configuration gives it up: closing its own, leaving a shared one.
     */
    private record Built(TlsContext context, long generation, Runnable giveUp) {}

    /** The contexts, apart from their owner so the cleaner can free them. */
    private static final class Contexts implements Runnable {
        final Map<Key, Built> built = new ConcurrentHashMap<>();
        // Replaced ones, closed a generation later: a handshake may have chosen one just before.
        final List<Built> retired = new ArrayList<>(); // guarded by this

        @Override
        public void run() {
            built.values().forEach(b -> b.giveUp().run());
            retired.forEach(b -> b.giveUp().run());
        }
    }

    private final X509KeyManager keyManager;
    private final X509TrustManager trustManager;
    // Read once: a default trust manager copies its whole store on every call.
    private final List<X509Certificate> acceptedIssuers;
    // Chosen once per mode for sockets and clients, as each s2n context holds one credential: what a
    // session reports as its local chain is then what was sent. A server engine asks the key
    // manager at each client's hello instead (engineServerAlias), and uses a context per alias.
    private final String clientAlias;
    private final String serverAlias;
    private final Contexts contexts = new Contexts();
    private final ClientSessionCache clientSessions;
    private final ServerSessionContext serverSessions;
    private final TicketKeyRing ticketKeys; // null: servers issue no tickets
    private final boolean clientTickets;

    SslConfiguration(X509KeyManager keyManager, X509TrustManager trustManager, ClientSessionCache clientSessions,
            ServerSessionContext serverSessions, TicketKeyRing ticketKeys) {
        this.keyManager = keyManager;
        this.trustManager = trustManager;
        this.clientSessions = clientSessions;
        this.serverSessions = serverSessions;
        this.clientTickets = enabled(CLIENT_TICKETS);
        this.ticketKeys = enabled(SERVER_TICKETS) ? ticketKeys : null;
        this.acceptedIssuers = trustManager == null ? List.of() : List.of(trustManager.getAcceptedIssuers());
        this.clientAlias = keyManager == null ? null : keyManager.chooseClientAlias(KEY_TYPES, null, null);
        this.serverAlias = keyManager == null ? null : firstServerAlias(type -> keyManager.chooseServerAlias(type, null, null));
        Dropped.CLEANER.register(this, contexts);
    }

    /** JSSE's reading of its boolean properties: "false" in any case turns it off. */
    private static boolean enabled(String property) {
        String value = System.getProperty(property);
        return value == null || !value.trim().equalsIgnoreCase("false");
    }

    /** The sessions clients resume, or null when they resume none (tickets turned off). */
    ClientSessionCache resumableSessions() {
        return clientTickets ? clientSessions : null;
    }

    /** The session context of {@code client} or server sessions. */
    SSLSessionContext sessionContext(boolean client) {
        return client ? clientSessions : serverSessions;
    }

    /** The trust manager that decides on peers, or null for s2n's own verification. */
    X509TrustManager trustManager() {
        return trustManager;
    }

    /** Whether connections must ask {@link #trustManager()} (s2n verifies against its issuers first). */
    boolean verifiesInJava() {
        return !acceptedIssuers.isEmpty();
    }

    /** The chain a client presents when asked, or a server presents; empty when it has none. */
    List<X509Certificate> localChain(boolean client) {
        return chain(client ? clientAlias : serverAlias);
    }

    /** The chain of the key manager's entry {@code alias}; empty for null. */
    List<X509Certificate> chain(String alias) {
        if (alias == null) {
            return List.of();
        }
        X509Certificate[] chain = keyManager.getCertificateChain(alias);
        return chain == null ? List.of() : List.of(chain);
    }

    /** The s2n context for sockets in this mode, with these enabled protocols and client authentication. */
    TlsContext context(boolean client, Set<String> protocols, ClientAuth clientAuth) throws SSLException {
        return context(new Key(client, Set.copyOf(protocols), client ? ClientAuth.NONE : clientAuth, client ? clientAlias : serverAlias));
    }

    /** The s2n context of a server presenting the key manager's entry {@code alias}. */
    TlsContext serverContext(Set<String> protocols, ClientAuth clientAuth, String alias) throws SSLException {
        return context(new Key(false, Set.copyOf(protocols), clientAuth, alias));
    }

    /** The alias the context of a server made by {@link #context} presents. */
    String serverAlias() {
        return serverAlias;
    }

    /**
     * The entry a server engine presents to the client whose hello it is answering: an
     * {@link X509ExtendedKeyManager} chooses with the engine (its handshake session holds the names
     * the client asked for), as JSSE asks it; another key manager gave its choice once. Null: none.
     */
    String engineServerAlias(SSLEngine engine) {
        if (!(keyManager instanceof X509ExtendedKeyManager extended)) {
            return serverAlias;
        }
        return firstServerAlias(type -> extended.chooseEngineServerAlias(type, null, engine));
    }

    private TlsContext context(Key key) throws SSLException {
        if (!issuesTickets(key)) {
            return built(key, null);
        }
        Built existing = contexts.built.get(key);
        if (existing != null && existing.generation() == ticketKeys.current().generation()) {
            return existing.context();
        }
        return ticketKeys.withCurrent(keys -> built(key, keys));
    }

    /** Servers issue tickets unless they are off, or the server asks clients for certificates (see {@link TlsContext}). */
    private boolean issuesTickets(Key key) {
        return !key.client() && ticketKeys != null && key.clientAuth() == ClientAuth.NONE;
    }

    /** The context of {@code key} with these ticket keys (null: none), built unless it is there. */
    private TlsContext built(Key key, TicketKeyRing.Keys tickets) throws SSLException {
        long generation = tickets == null ? 0 : tickets.generation();
        Built existing = contexts.built.get(key);
        if (existing != null && existing.generation() == generation) {
            return existing.context();
        }
        synchronized (contexts) {
            Built again = contexts.built.get(key);
            if (again != null && again.generation() == generation) {
                return again.context();
            }
            Built made = key.client() ? shared(key) : own(key, tickets, generation);
            contexts.built.put(key, made);
            if (again != null) {
                contexts.retired.removeIf(old -> {
                    boolean longGone = old.generation() < generation - 1;
                    if (longGone) {
                        old.giveUp().run(); // its connections keep it until they end
                    }
                    return longGone;
                });
                contexts.retired.add(again);
            }
            return made.context();
        }
    }

    /** A server's context, this configuration's alone: it holds the SSLContext's ticket keys. */
    private Built own(Key key, TicketKeyRing.Keys tickets, long generation) throws SSLException {
        TlsContext made = create(key, tickets);
        return new Built(made, generation, made::close);
    }

    /** A client's context, shared with every configuration that has the same key material and trust. */
    private Built shared(Key key) throws SSLException {
        SharedClientContexts.Recipe recipe = new SharedClientContexts.Recipe(key.protocols(), chain(key.alias()),
                key.alias() == null ? null : keyManager.getPrivateKey(key.alias()), trustManager == null ? null : acceptedIssuers,
                clientTickets, System.getProperty(TlsContext.KEY_LOG_FILE_PROPERTY));
        SharedClientContexts.Entry entry = SharedClientContexts.join(recipe, () -> create(key, null));
        return new Built(entry.context(), 0, entry::leave);
    }

    private TlsContext create(Key key, TicketKeyRing.Keys tickets) throws SSLException {
        try {
            return TlsContext.create(options(key, tickets));
        } catch (IoErrorException | IllegalArgumentException e) {
            throw new SSLException("Reseau could not set up TLS: " + e.getMessage(), e);
        }
    }

    private TlsContextOptions options(Key key, TicketKeyRing.Keys tickets) throws SSLException {
        TlsContextOptions options;
        String alias = key.alias();
        if (key.client()) {
            options = TlsContextOptions.client();
            if (alias != null) {
                options = options.withCertificate(chainPem(alias), keyPem(alias));
            }
        } else {
            if (alias == null) {
                throw new SSLException("No available authentication scheme: the key manager has no server certificate");
            }
            options = TlsContextOptions.server(chainPem(alias), keyPem(alias)).withClientAuth(key.clientAuth());
        }
        options = withProtocols(options, key.protocols());
        if (key.client() && clientTickets) {
            options = options.withSessionTickets(TlsSessionTickets.ACCEPTED);
        } else if (tickets != null) {
            options = options.withSessionTickets(tickets.tickets());
        }
        if (trustManager != null) {
            if (acceptedIssuers.isEmpty()) {
                options = options.withVerifyPeer(false);
            } else {
                options = options.withTrustedCertificates(Pem.certificatesToPem(acceptedIssuers))
                        .withExternalPeerVerification(true);
            }
        }
        return options;
    }

    private static TlsContextOptions withProtocols(TlsContextOptions options, Set<String> protocols) throws SSLException {
        TlsVersion lowest = null;
        for (String protocol : protocols) {
            TlsVersion version = TlsVersion.fromJavaName(protocol);
            if (version == null) {
                throw new SSLException("Unsupported protocol: " + protocol);
            }
            if (lowest == null || version.compareTo(lowest) < 0) {
                lowest = version;
            }
        }
        if (lowest == null) {
            throw new SSLException("No appropriate protocol (protocol is disabled or cipher suites are inappropriate)");
        }
        if (!protocols.contains(TlsVersion.TLS_1_3.javaName())) {
            if (lowest != TlsVersion.TLS_1_2) {
                throw new SSLException("Reseau offers TLS 1.0 and 1.1 only together with TLS 1.2 and 1.3: " + protocols);
            }
            return options.withSecurityPolicy(POLICY_TLS12_ONLY);
        }
        return options.withMinimumVersion(lowest);
    }

    /** The first alias {@code choose} gives for a key type, in Reseau's order of types; null if none. */
    private static String firstServerAlias(Function<String, String> choose) {
        for (String type : KEY_TYPES) {
            String alias = choose.apply(type);
            if (alias != null) {
                return alias;
            }
        }
        return null;
    }

    private String chainPem(String alias) throws SSLException {
        X509Certificate[] chain = keyManager.getCertificateChain(alias);
        if (chain == null || chain.length == 0) {
            throw new SSLException("the key manager has no certificate chain for '" + alias + "'");
        }
        return Pem.certificatesToPem(List.of(chain));
    }

    private String keyPem(String alias) throws SSLException {
        PrivateKey key = keyManager.getPrivateKey(alias);
        if (key == null) {
            throw new SSLException("the key manager has no private key for '" + alias + "'");
        }
        return Pem.privateKeyToPem(key);
    }
}
