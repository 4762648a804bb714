package io.reseau.tls;

import io.reseau.common.IoError;
import io.reseau.common.IoErrorException;
import io.reseau.internal.ffi.S2n;
import io.reseau.internal.ffi.S2nError;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What TLS connections share (aws-c-io's {@code aws_tls_ctx}): an s2n config built from
 * {@link TlsContextOptions} once, then only read. Create one per setup and use it for any number
 * of connections, from any thread. {@link #close()} gives up the context; the config is freed when
 * the last connection that uses it is gone too.
 */
public final class TlsContext implements AutoCloseable {
    /**
     * The system property naming a file to which contexts built while it is set log their
     * connections' secrets, for debugging only (see {@link KeyLogFile}).
     */
    public static final String KEY_LOG_FILE_PROPERTY = "reseau.tls.keyLogFile";

    private final TlsContextOptions options;
    private final MemorySegment config;
    private final MemorySegment chainAndKey; // NULL without a certificate
    // One for the context itself, one per connection: the config is freed when none remains.
    private final AtomicInteger references = new AtomicInteger(1);
    private final AtomicBoolean closed = new AtomicBoolean();

    private TlsContext(TlsContextOptions options, MemorySegment config, MemorySegment chainAndKey) {
        this.options = options;
        this.config = config;
        this.chainAndKey = chainAndKey;
    }

    /**
     * Builds the context.
     *
     * @throws IoErrorException {@code TLS_CTX_ERROR} with s2n's reason (a key that does not match its
     *     certificate, say), {@code TLS_CIPHER_PREF_UNSUPPORTED} for an unknown security policy,
     *     {@code TLS_ERROR_DEFAULT_TRUST_STORE_NOT_FOUND} when the system has no trust store
     * @throws IllegalStateException where s2n-tls is not available (see {@link io.reseau.internal.ffi.S2nLibrary})
     */
    public static TlsContext create(TlsContextOptions options) throws IoErrorException {
        Objects.requireNonNull(options, "options");
        S2n.ensureLoaded();
        // On the caller's thread, a virtual one too: each s2n call's error is read right after it
        // (see S2n), so a park between two calls cannot mix up their errors.
        return build(options);
    }

    public TlsContextOptions options() {
        return options;
    }

    /** The s2n config, for a connection holding a reference. */
    MemorySegment config() {
        return config;
    }

    /** A connection starts using the config; false once the context is closed and unused. */
    boolean acquire() {
        int count;
        do {
            count = references.get();
            if (count == 0) {
                return false;
            }
        } while (!references.compareAndSet(count, count + 1));
        return true;
    }

    /** A connection is done with the config. */
    void release() {
        if (references.decrementAndGet() == 0) {
            free();
        }
    }

    /** Connections already using the context carry on; no new one may start. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            release();
        }
    }

    private void free() {
        S2n.configFree(config);
        if (!chainAndKey.equals(MemorySegment.NULL)) {
            S2n.certChainAndKeyFree(chainAndKey);
        }
    }

    @Override
    public String toString() {
        return "TlsContext" + options.toString().substring("TlsContextOptions".length());
    }

    // ---- building (on a platform thread) ----

    private static TlsContext build(TlsContextOptions options) throws IoErrorException {
        MemorySegment config = S2n.configNewMinimal();
        if (config.equals(MemorySegment.NULL)) {
            throw failure(IoError.TLS_CTX_ERROR, "s2n could not create a config");
        }
        MemorySegment chainAndKey = MemorySegment.NULL;
        try {
            if (S2n.configSetCipherPreferences(config, options.policy()) != 0) {
                throw failure(IoError.TLS_CIPHER_PREF_UNSUPPORTED, "security policy '" + options.policy() + "'");
            }
            if (!options.alpn().isEmpty()) {
                check(S2n.configSetProtocolPreferences(config, options.alpn()), "ALPN " + options.alpn());
            }
            if (options.certificateChainPem() != null) {
                chainAndKey = loadCredential(config, options);
            }
            boolean checksPeers = options.mode() == TlsMode.CLIENT ? options.verifyPeer() : options.clientAuth() != ClientAuth.NONE;
            if (checksPeers) {
                loadTrust(config, options);
                if (options.externalPeerVerification() || options.mode() == TlsMode.SERVER) {
                    // A client's certificate names its user, not the host it asked for (which s2n would
                    // check it against); with external verification, names are the verifier's business.
                    check(S2n.configAcceptAnyHostName(config), "host names");
                }
                if (options.externalPeerVerification()) {
                    check(S2n.configUseCertificateChecks(config), "peer verifier");
                }
            } else if (options.mode() == TlsMode.CLIENT) {
                check(S2n.configDisableX509Verification(config), "peer verification off");
            }
            if (options.mode() == TlsMode.SERVER) {
                check(S2n.configUseClientHelloChecks(config), "client hello checks");
                int type = switch (options.clientAuth()) {
                    case NONE -> S2n.CERT_AUTH_NONE;
                    case OPTIONAL -> S2n.CERT_AUTH_OPTIONAL;
                    case REQUIRED -> S2n.CERT_AUTH_REQUIRED;
                };
                check(S2n.configSetClientAuthType(config, type), "client authentication");
            } else if (options.certificateChainPem() != null) {
                // A client with a certificate sends it when a server asks, and only then.
                check(S2n.configSetClientAuthType(config, S2n.CERT_AUTH_OPTIONAL), "client certificate");
            }
            if (options.sessionTickets() != null) {
                useSessionTickets(config, options);
            }
            logKeys(config, options);
            return new TlsContext(options, config, chainAndKey);
        } catch (IoErrorException | RuntimeException e) {
            S2n.configFree(config);
            if (!chainAndKey.equals(MemorySegment.NULL)) {
                S2n.certChainAndKeyFree(chainAndKey);
            }
            throw e;
        }
    }

    /**
     * A client asks for tickets and hands them to its connections' listeners. A server issues them
     * under its keys, unless it asks clients for certificates: s2n's tickets do not hold the
     * client's certificate, so a resumed session could not tell who its client is (and s2n 1.5.23
     * ignores TLS 1.2 tickets then anyway). So a server requiring certificates sends no ticket at
     * all, and nothing but the {@link CertificateRequiredAlert} can be its first protected record.
     */
    private static void useSessionTickets(MemorySegment config, TlsContextOptions options) throws IoErrorException {
        TlsSessionTickets tickets = options.sessionTickets();
        if (!tickets.issues()) {
            check(S2n.configEnableSessionTickets(config), "session tickets");
            check(S2n.configUseSessionTicketListeners(config), "session ticket listeners");
            return;
        }
        if (options.clientAuth() != ClientAuth.NONE) {
            return;
        }
        check(S2n.configEnableSessionTickets(config), "session tickets");
        long lifetime = tickets.lifetime().toSeconds();
        check(S2n.configSetTicketLifetimes(config, tickets.encryptFor().toSeconds(), lifetime, lifetime), "ticket lifetimes");
        for (TlsTicketKey key : tickets.keys()) {
            byte[] secret = key.secret();
            try {
                // s2n counts a key's times in whole seconds: rounded down, a new key encrypts at once.
                // (An intro time of 0 would mean "now" to s2n.)
                check(S2n.configAddTicketKey(config, key.name(), secret, Math.max(1, key.introduced().getEpochSecond())),
                        "ticket key " + key);
            } finally {
                java.util.Arrays.fill(secret, (byte) 0);
            }
        }
    }

    /**
     * Hands the connections' secrets to the {@link KeyLogFile} the system property names, if any,
     * and for a server requiring client certificates to the {@link CertificateRequiredAlert} it
     * sends a client without one.
     */
    private static void logKeys(MemorySegment config, TlsContextOptions options) throws IoErrorException {
        KeyLogFile file = KeyLogFile.named();
        boolean refusesClientsWithoutCertificates = options.mode() == TlsMode.SERVER && options.clientAuth() == ClientAuth.REQUIRED;
        if (file == null && !refusesClientsWithoutCertificates) {
            return;
        }
        check(S2n.configSetKeyLog(config, (connection, line) -> {
            if (file != null) {
                file.append(line);
            }
            if (refusesClientsWithoutCertificates) {
                CertificateRequiredAlert.offer(connection, line);
            }
        }), "key log");
    }

    private static MemorySegment loadCredential(MemorySegment config, TlsContextOptions options) throws IoErrorException {
        MemorySegment chainAndKey = S2n.certChainAndKeyNew();
        if (chainAndKey.equals(MemorySegment.NULL)) {
            throw failure(IoError.TLS_CTX_ERROR, "s2n could not hold a certificate");
        }
        // Canonical PEM: s2n's parser is stricter than the files people have.
        byte[] chain = Pem.certificatesToPem(Pem.certificates(options.certificateChainPem())).getBytes(StandardCharsets.US_ASCII);
        byte[] key = Pem.privateKey(options.privateKeyPem()).toPem().getBytes(StandardCharsets.US_ASCII);
        if (S2n.certChainAndKeyLoadPem(chainAndKey, chain, key) != 0 || S2n.configAddCertChainAndKeyToStore(config, chainAndKey) != 0) {
            S2nError error = S2n.lastError();
            S2n.certChainAndKeyFree(chainAndKey);
            throw new IoErrorException(IoError.TLS_CTX_ERROR, "the certificate chain and key were refused: " + error);
        }
        return chainAndKey;
    }

    private static void loadTrust(MemorySegment config, TlsContextOptions options) throws IoErrorException {
        if (options.usesSystemTrust()) {
            Optional<Path> file = SystemTrustStore.file();
            Optional<Path> directory = SystemTrustStore.directory();
            if (file.isEmpty() && directory.isEmpty()) {
                throw new IoErrorException(IoError.TLS_ERROR_DEFAULT_TRUST_STORE_NOT_FOUND,
                        "no trust store found in the usual places (/etc/ssl/certs, /etc/pki/tls/certs...); give one");
            }
            check(S2n.configSetVerificationCaLocation(config, file.map(Path::toString).orElse(null),
                    directory.map(Path::toString).orElse(null)), "the system's trust store");
            return;
        }
        String trusted = options.trustedCertificatesPem();
        if (trusted != null && S2n.configAddPemToTrustStore(config, trusted) != 0) {
            // All at once: a JSSE context made per connection loads its trust roots each time.
            throw failure(IoError.TLS_CTX_ERROR, "trusted certificates " + Pem.certificates(trusted).stream()
                    .map(certificate -> certificate.getSubjectX500Principal().toString()).toList());
        }
        if (options.trustFile() != null || options.trustDirectory() != null) {
            check(S2n.configSetVerificationCaLocation(config,
                    options.trustFile() == null ? null : options.trustFile().toString(),
                    options.trustDirectory() == null ? null : options.trustDirectory().toString()),
                    "trust file/directory " + options.trustFile() + " / " + options.trustDirectory());
        }
    }

    private static void check(int result, String what) throws IoErrorException {
        if (result != 0) {
            throw failure(IoError.TLS_CTX_ERROR, what);
        }
    }

    /** The error of the s2n call that just failed, on this thread. */
    private static IoErrorException failure(IoError error, String what) {
        return new IoErrorException(error, what + ": " + S2n.lastError());
    }
}
