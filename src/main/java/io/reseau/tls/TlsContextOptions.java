package io.reseau.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How a {@link TlsContext} is set up (aws-c-io's {@code aws_tls_ctx_options}), with its defaults:
 * TLS 1.2 at least, TLS 1.3 preferred, peers verified by clients against the system's trust store,
 * a 10 s negotiation timeout.
 *
 * <p>The security policy is an s2n policy pinned by its dated name, so that an s2n upgrade never
 * changes what is offered: {@code 20240503} (TLS 1.2 and 1.3; s2n's {@code default} is TLS 1.2
 * only), {@code AWS-CRT-SDK-TLSv1.3-2023} with TLS 1.3 as the minimum, {@code 20250721} with
 * post-quantum key exchange (ML-KEM hybrids such as X25519MLKEM768, then classic groups for peers
 * without). {@link #withSecurityPolicy} names any other s2n policy instead.
 *
 * @param certificateChainPem the certificate chain to present, leaf first; required for a server,
 *     optional for a client (mutual TLS)
 * @param privateKeyPem the key of the chain's leaf (PKCS#8, PKCS#1 or SEC1, unencrypted)
 * @param trustedCertificatesPem trust roots in PEM; with a trust file or directory, these replace
 *     the system's trust store; with none of the three, the system's is used (probed as aws-c-io
 *     does)
 * @param verifyPeer whether a client verifies the server (a server verifies clients per {@code clientAuth})
 * @param externalPeerVerification s2n verifies the peer's chain against the trust roots but not
 *     its host name, and each connection's {@link TlsConnectionOptions#peerVerifier()} decides
 * @param negotiationTimeout how long a handshake may take; zero for no limit
 * @param sessionTickets whether and how connections resume sessions; null: they do not (every
 *     handshake is a full one)
 */
public record TlsContextOptions(TlsMode mode, TlsVersion minimumVersion, boolean postQuantum, String securityPolicy,
        List<String> alpn, String certificateChainPem, String privateKeyPem, String trustedCertificatesPem, Path trustFile,
        Path trustDirectory, boolean verifyPeer, boolean externalPeerVerification, ClientAuth clientAuth,
        Duration negotiationTimeout, TlsSessionTickets sessionTickets) {

    public static final Duration DEFAULT_NEGOTIATION_TIMEOUT = Duration.ofSeconds(10);
    /** s2n policies Reseau picks (see the class comment). */
    static final String POLICY_TLS12 = "20240503";
    static final String POLICY_TLS13 = "AWS-CRT-SDK-TLSv1.3-2023";
    static final String POLICY_POST_QUANTUM = "20250721";
    static final String POLICY_TLS10 = "AWS-CRT-SDK-TLSv1.0-2023";
    static final String POLICY_TLS11 = "AWS-CRT-SDK-TLSv1.1-2023";

    public TlsContextOptions {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(minimumVersion, "minimumVersion");
        alpn = List.copyOf(alpn);
        Objects.requireNonNull(clientAuth, "clientAuth");
        Objects.requireNonNull(negotiationTimeout, "negotiationTimeout");
        for (String protocol : alpn) {
            int length = protocol.getBytes(StandardCharsets.UTF_8).length;
            if (length == 0 || length > 255) {
                throw new IllegalArgumentException("an ALPN protocol name must be 1 to 255 bytes, got '" + protocol + "'");
            }
        }
        if ((certificateChainPem == null) != (privateKeyPem == null)) {
            throw new IllegalArgumentException("a certificate chain and its private key go together");
        }
        if (certificateChainPem != null) {
            Pem.certificates(certificateChainPem); // a clear error now rather than s2n's later
            Pem.privateKey(privateKeyPem);
        }
        if (mode == TlsMode.SERVER && certificateChainPem == null) {
            throw new IllegalArgumentException("a TLS server needs a certificate chain and its private key");
        }
        if (mode == TlsMode.CLIENT && clientAuth != ClientAuth.NONE) {
            throw new IllegalArgumentException("client authentication is a server's choice");
        }
        if (trustedCertificatesPem != null) {
            Pem.certificates(trustedCertificatesPem);
        }
        if (negotiationTimeout.isNegative()) {
            throw new IllegalArgumentException("negotiationTimeout cannot be negative: " + negotiationTimeout);
        }
        if (sessionTickets != null && sessionTickets.issues() != (mode == TlsMode.SERVER)) {
            throw new IllegalArgumentException(mode == TlsMode.SERVER ? "a TLS server issues session tickets under keys: give some"
                    : "a TLS client asks for session tickets; ticket keys are a server's");
        }
        if (securityPolicy == null && postQuantum && minimumVersion == TlsVersion.TLS_1_3) {
            throw new IllegalArgumentException("s2n 1.5.23 has no pinned post-quantum policy with TLS 1.3 as the minimum: "
                    + "keep TLS 1.2 as the minimum (post-quantum key exchange is TLS 1.3's anyway) or name a policy");
        }
    }

    /** A client: verifies servers against the system's trust store. */
    public static TlsContextOptions client() {
        return new TlsContextOptions(TlsMode.CLIENT, TlsVersion.TLS_1_2, false, null, List.of(), null, null, null, null, null,
                true, false, ClientAuth.NONE, DEFAULT_NEGOTIATION_TIMEOUT, null);
    }

    /** A server presenting {@code certificateChainPem} (leaf first) with {@code privateKeyPem}. */
    public static TlsContextOptions server(String certificateChainPem, String privateKeyPem) {
        Objects.requireNonNull(certificateChainPem, "certificateChainPem");
        Objects.requireNonNull(privateKeyPem, "privateKeyPem");
        return new TlsContextOptions(TlsMode.SERVER, TlsVersion.TLS_1_2, false, null, List.of(), certificateChainPem,
                privateKeyPem, null, null, null, false, false, ClientAuth.NONE, DEFAULT_NEGOTIATION_TIMEOUT, null);
    }

    /** A server presenting the chain and key read from these PEM files. */
    public static TlsContextOptions serverFromFiles(Path certificateChain, Path privateKey) throws IOException {
        return server(Files.readString(certificateChain), Files.readString(privateKey));
    }

    /** The s2n security policy connections of this context use. */
    public String policy() {
        if (securityPolicy != null) {
            return securityPolicy;
        }
        if (postQuantum) {
            return POLICY_POST_QUANTUM;
        }
        return switch (minimumVersion) {
            case TLS_1_0 -> POLICY_TLS10;
            case TLS_1_1 -> POLICY_TLS11;
            case TLS_1_2 -> POLICY_TLS12;
            case TLS_1_3 -> POLICY_TLS13;
        };
    }

    /** Whether the system's trust store is used (nothing else was given). */
    public boolean usesSystemTrust() {
        return trustedCertificatesPem == null && trustFile == null && trustDirectory == null;
    }

    public TlsContextOptions withMinimumVersion(TlsVersion version) {
        return new TlsContextOptions(mode, version, postQuantum, securityPolicy, alpn, certificateChainPem, privateKeyPem,
                trustedCertificatesPem, trustFile, trustDirectory, verifyPeer, externalPeerVerification, clientAuth,
                negotiationTimeout, sessionTickets);
    }

    /** Offers ML-KEM hybrid key exchange (X25519MLKEM768 first), falling back to classic groups. */
    public TlsContextOptions withPostQuantum(boolean enabled) {
        return new TlsContextOptions(mode, minimumVersion, enabled, securityPolicy, alpn, certificateChainPem, privateKeyPem,
                trustedCertificatesPem, trustFile, trustDirectory, verifyPeer, externalPeerVerification, clientAuth,
                negotiationTimeout, sessionTickets);
    }

    /** Any s2n security policy by name (it is checked when the context is created); null goes back to the derived one. */
    public TlsContextOptions withSecurityPolicy(String policy) {
        return new TlsContextOptions(mode, minimumVersion, postQuantum, policy, alpn, certificateChainPem, privateKeyPem,
                trustedCertificatesPem, trustFile, trustDirectory, verifyPeer, externalPeerVerification, clientAuth,
                negotiationTimeout, sessionTickets);
    }

    /** ALPN protocols, in preference order ("h2", "http/1.1"). */
    public TlsContextOptions withAlpn(List<String> protocols) {
        return new TlsContextOptions(mode, minimumVersion, postQuantum, securityPolicy, protocols, certificateChainPem,
                privateKeyPem, trustedCertificatesPem, trustFile, trustDirectory, verifyPeer, externalPeerVerification,
                clientAuth, negotiationTimeout, sessionTickets);
    }

    public TlsContextOptions withAlpn(String... protocols) {
        return withAlpn(List.of(protocols));
    }

    /** The chain (leaf first) and key to present: a client's, for mutual TLS, or a server's. */
    public TlsContextOptions withCertificate(String chainPem, String keyPem) {
        Objects.requireNonNull(chainPem, "chainPem");
        Objects.requireNonNull(keyPem, "keyPem");
        return new TlsContextOptions(mode, minimumVersion, postQuantum, securityPolicy, alpn, chainPem, keyPem,
                trustedCertificatesPem, trustFile, trustDirectory, verifyPeer, externalPeerVerification, clientAuth,
                negotiationTimeout, sessionTickets);
    }

    public TlsContextOptions withCertificateFiles(Path chain, Path key) throws IOException {
        return withCertificate(Files.readString(chain), Files.readString(key));
    }

    /** Trusts exactly these roots (PEM), instead of the system's trust store. */
    public TlsContextOptions withTrustedCertificates(String pem) {
        return new TlsContextOptions(mode, minimumVersion, postQuantum, securityPolicy, alpn, certificateChainPem,
                privateKeyPem, Objects.requireNonNull(pem, "pem"), trustFile, trustDirectory, verifyPeer,
                externalPeerVerification, clientAuth, negotiationTimeout, sessionTickets);
    }

    /** Trusts the roots in this PEM file, instead of the system's trust store. */
    public TlsContextOptions withTrustFile(Path file) {
        return new TlsContextOptions(mode, minimumVersion, postQuantum, securityPolicy, alpn, certificateChainPem,
                privateKeyPem, trustedCertificatesPem, Objects.requireNonNull(file, "file"), trustDirectory, verifyPeer,
                externalPeerVerification, clientAuth, negotiationTimeout, sessionTickets);
    }

    /** Trusts the roots in this directory (hashed names, as {@code openssl rehash} makes), instead of the system's. */
    public TlsContextOptions withTrustDirectory(Path directory) {
        return new TlsContextOptions(mode, minimumVersion, postQuantum, securityPolicy, alpn, certificateChainPem,
                privateKeyPem, trustedCertificatesPem, trustFile, Objects.requireNonNull(directory, "directory"), verifyPeer,
                externalPeerVerification, clientAuth, negotiationTimeout, sessionTickets);
    }

    /** Whether a client verifies the server; turning it off accepts any server, for tests only. */
    public TlsContextOptions withVerifyPeer(boolean verify) {
        return new TlsContextOptions(mode, minimumVersion, postQuantum, securityPolicy, alpn, certificateChainPem,
                privateKeyPem, trustedCertificatesPem, trustFile, trustDirectory, verify, externalPeerVerification,
                clientAuth, negotiationTimeout, sessionTickets);
    }

    /** See {@code externalPeerVerification}: every connection then needs a {@link TlsPeerVerifier}. */
    public TlsContextOptions withExternalPeerVerification(boolean external) {
        return new TlsContextOptions(mode, minimumVersion, postQuantum, securityPolicy, alpn, certificateChainPem,
                privateKeyPem, trustedCertificatesPem, trustFile, trustDirectory, verifyPeer, external, clientAuth,
                negotiationTimeout, sessionTickets);
    }

    /** Whether a server asks clients for certificates (verified against the trust roots). */
    public TlsContextOptions withClientAuth(ClientAuth auth) {
        return new TlsContextOptions(mode, minimumVersion, postQuantum, securityPolicy, alpn, certificateChainPem,
                privateKeyPem, trustedCertificatesPem, trustFile, trustDirectory, verifyPeer, externalPeerVerification, auth,
                negotiationTimeout, sessionTickets);
    }

    public TlsContextOptions withNegotiationTimeout(Duration timeout) {
        return new TlsContextOptions(mode, minimumVersion, postQuantum, securityPolicy, alpn, certificateChainPem,
                privateKeyPem, trustedCertificatesPem, trustFile, trustDirectory, verifyPeer, externalPeerVerification,
                clientAuth, timeout, sessionTickets);
    }

    /**
     * Session resumption through tickets: {@link TlsSessionTickets#ACCEPTED} for a client,
     * {@link TlsSessionTickets#issued} for a server; null turns it off.
     */
    public TlsContextOptions withSessionTickets(TlsSessionTickets tickets) {
        return new TlsContextOptions(mode, minimumVersion, postQuantum, securityPolicy, alpn, certificateChainPem,
                privateKeyPem, trustedCertificatesPem, trustFile, trustDirectory, verifyPeer, externalPeerVerification,
                clientAuth, negotiationTimeout, tickets);
    }

    @Override
    public String toString() {
        // Never the key.
        return "TlsContextOptions[" + mode + ", policy " + policy() + ", alpn " + alpn
                + (certificateChainPem != null ? ", with a certificate" : "") + (usesSystemTrust() ? ", system trust" : ", own trust")
                + ", verifyPeer " + verifyPeer + (externalPeerVerification ? ", external verification" : "")
                + ", clientAuth " + clientAuth + ", timeout " + negotiationTimeout
                + (sessionTickets == null ? "" : sessionTickets.issues() ? ", issues tickets" : ", accepts tickets") + "]";
    }
}
