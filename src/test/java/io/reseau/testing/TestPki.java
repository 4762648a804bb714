package io.reseau.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A small PKI made with the openssl command line when a test class starts, so that no
 * certificate is committed to expire one day: a root CA, an intermediate CA it signed, and
 * leaf {@link Credential}s of every {@link Kind}, with JSSE views of them for the JDK's TLS.
 *
 * <p>Files are PEM: certificates, and keys as unencrypted PKCS#8 ({@code BEGIN PRIVATE KEY}).
 * Leaves are valid for a week from now, except {@link Kind#EXPIRED}.
 */
public final class TestPki {
    /** The kinds of leaf credential: three good servers for localhost, four that a client must reject, and a client. */
    public enum Kind {
        /** RSA 2048, issued by the intermediate. */
        SERVER_RSA,
        /** ECDSA P-256, issued by the intermediate. */
        SERVER_EC256,
        /** ECDSA P-384, issued by the intermediate. */
        SERVER_EC384,
        /** Like SERVER_EC256, but its validity ended yesterday (it began 30 days ago). */
        EXPIRED,
        /** Issued by the intermediate to wrong.example only (SAN DNS:wrong.example). */
        WRONG_HOST,
        /** Signed by its own key, so no trust store here holds its issuer. */
        SELF_SIGNED,
        /** Issued by {@link TestPki#untrustedRootCertificate()}, an unrelated root. */
        UNTRUSTED_ROOT,
        /** CN=reseau-client, extendedKeyUsage clientAuth, ECDSA P-256, issued by the intermediate: for mutual TLS. */
        CLIENT
    }

    /**
     * A leaf certificate with its key. {@code chain} holds the leaf then the CA certificates a
     * peer sends with it (the intermediate, when there is one), never the root.
     */
    public record Credential(Path certificate, Path chain, Path privateKey) {
        public String certificatePem() {
            return read(certificate);
        }

        public String chainPem() {
            return read(chain);
        }

        public String privateKeyPem() {
            return read(privateKey);
        }
    }

    /** Key stores built here are in memory only, but PKCS12 still wants a password. */
    private static final String KEY_STORE_PASSWORD = "reseau";
    private static final String VALID_DAYS = "7";
    private static final String CONFIG = "openssl.cnf";
    private static final String ROOT = "root-ca";
    /**
     * Every section is named on the command line that uses it, so that the system's openssl.cnf
     * adds no extension. Only the RSA leaf has keyEncipherment (static-RSA key exchange in TLS
     * 1.2); RFC 5480 does not allow it with an EC key.
     */
    private static final String CONFIG_TEXT = """
            [req]
            distinguished_name = empty_dn
            [empty_dn]
            [root_ca]
            basicConstraints = critical,CA:TRUE
            keyUsage = critical,keyCertSign,cRLSign
            subjectKeyIdentifier = hash
            [intermediate_ca]
            basicConstraints = critical,CA:TRUE,pathlen:0
            keyUsage = critical,keyCertSign,cRLSign
            subjectKeyIdentifier = hash
            authorityKeyIdentifier = keyid
            [localhost_rsa]
            basicConstraints = critical,CA:FALSE
            keyUsage = critical,digitalSignature,keyEncipherment
            extendedKeyUsage = serverAuth
            subjectAltName = DNS:localhost,IP:127.0.0.1,IP:::1
            subjectKeyIdentifier = hash
            authorityKeyIdentifier = keyid
            [localhost_ec]
            basicConstraints = critical,CA:FALSE
            keyUsage = critical,digitalSignature
            extendedKeyUsage = serverAuth
            subjectAltName = DNS:localhost,IP:127.0.0.1,IP:::1
            subjectKeyIdentifier = hash
            authorityKeyIdentifier = keyid
            [wrong_host]
            basicConstraints = critical,CA:FALSE
            keyUsage = critical,digitalSignature
            extendedKeyUsage = serverAuth
            subjectAltName = DNS:wrong.example
            subjectKeyIdentifier = hash
            authorityKeyIdentifier = keyid
            [client]
            basicConstraints = critical,CA:FALSE
            keyUsage = critical,digitalSignature
            extendedKeyUsage = clientAuth
            subjectKeyIdentifier = hash
            authorityKeyIdentifier = keyid
            # openssl ca, the one command that sets a validity in the past in OpenSSL 3.0
            [ca]
            default_ca = past_validity
            [past_validity]
            database = ca/index.txt
            new_certs_dir = ca
            rand_serial = yes
            default_md = sha256
            policy = any_name
            email_in_dn = no
            unique_subject = no
            [any_name]
            commonName = supplied
            """;
    private static final DateTimeFormatter CA_DATE =
            DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);

    private enum KeyType {
        RSA_2048("-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"),
        EC_P256("-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"),
        EC_P384("-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384");

        private final List<String> genpkeyArgs;

        KeyType(String... genpkeyArgs) {
            this.genpkeyArgs = List.of(genpkeyArgs);
        }
    }

    /** Who signs a leaf; {@code file} names the issuer's certificate and key, without extension. */
    private enum Issuer {
        INTERMEDIATE("intermediate-ca"),
        ITSELF(null),
        UNTRUSTED_ROOT("untrusted-root-ca");

        private final String file;

        Issuer(String file) {
            this.file = file;
        }
    }

    /** How a kind is made. Failure cases use P-256: an RSA key costs a few hundred milliseconds. */
    private record Spec(KeyType key, String subject, String extensions, Issuer issuer) {
        static Spec of(Kind kind) {
            return switch (kind) {
                case SERVER_RSA -> new Spec(KeyType.RSA_2048, "localhost", "localhost_rsa", Issuer.INTERMEDIATE);
                case SERVER_EC256, EXPIRED -> new Spec(KeyType.EC_P256, "localhost", "localhost_ec", Issuer.INTERMEDIATE);
                case SERVER_EC384 -> new Spec(KeyType.EC_P384, "localhost", "localhost_ec", Issuer.INTERMEDIATE);
                case WRONG_HOST -> new Spec(KeyType.EC_P256, "wrong.example", "wrong_host", Issuer.INTERMEDIATE);
                case SELF_SIGNED -> new Spec(KeyType.EC_P256, "localhost", "localhost_ec", Issuer.ITSELF);
                case UNTRUSTED_ROOT -> new Spec(KeyType.EC_P256, "localhost", "localhost_ec", Issuer.UNTRUSTED_ROOT);
                case CLIENT -> new Spec(KeyType.EC_P256, "reseau-client", "client", Issuer.INTERMEDIATE);
            };
        }
    }

    private final Path root;
    private final Path untrustedRoot;
    private final Map<Kind, Credential> credentials;

    private TestPki(Path root, Path untrustedRoot, Map<Kind, Credential> credentials) {
        this.root = root;
        this.untrustedRoot = untrustedRoot;
        this.credentials = credentials;
    }

    /** Generates the whole set into {@code directory} (a test's {@code @TempDir}), in well under a second. */
    public static TestPki generate(Path directory) {
        Path dir = directory.toAbsolutePath();
        try {
            Files.writeString(dir.resolve(CONFIG), CONFIG_TEXT);
            Files.createDirectories(dir.resolve("ca"));
            Files.writeString(dir.resolve("ca/index.txt"), "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        generateKeys(dir);

        selfSign(dir, ROOT, "Reseau Test Root", "root_ca");
        selfSign(dir, Issuer.UNTRUSTED_ROOT.file, "Reseau Untrusted Root", "root_ca");
        sign(dir, Issuer.INTERMEDIATE.file, "Reseau Test Intermediate", "intermediate_ca", ROOT);
        Map<Kind, Credential> credentials = new EnumMap<>(Kind.class);
        for (Kind kind : Kind.values()) {
            Spec spec = Spec.of(kind);
            String name = name(kind);
            if (kind == Kind.EXPIRED) {
                signWithPastValidity(dir, name, spec.subject(), spec.extensions(), spec.issuer().file);
            } else if (spec.issuer() == Issuer.ITSELF) {
                selfSign(dir, name, spec.subject(), spec.extensions());
            } else {
                sign(dir, name, spec.subject(), spec.extensions(), spec.issuer().file);
            }
            Path certificate = dir.resolve(name + ".pem");
            List<Path> chain = spec.issuer() == Issuer.INTERMEDIATE
                    ? List.of(certificate, dir.resolve(Issuer.INTERMEDIATE.file + ".pem"))
                    : List.of(certificate);
            credentials.put(kind, new Credential(
                    certificate, concatenate(dir.resolve(name + "-chain.pem"), chain), dir.resolve(name + ".key")));
        }
        return new TestPki(dir.resolve(ROOT + ".pem"), dir.resolve(Issuer.UNTRUSTED_ROOT.file + ".pem"), credentials);
    }

    public Credential credential(Kind kind) {
        return credentials.get(kind);
    }

    /** The trust anchor of every kind but SELF_SIGNED and UNTRUSTED_ROOT. */
    public Path rootCertificate() {
        return root;
    }

    /** The root that issued {@link Kind#UNTRUSTED_ROOT}; no trust store here holds it. */
    public Path untrustedRootCertificate() {
        return untrustedRoot;
    }

    /** The key of {@code kind} with its chain, as a PKCS12 store in memory (password: {@link #keyStorePassword()}). */
    public KeyStore keyStore(Kind kind) {
        Credential credential = credential(kind);
        try {
            List<X509Certificate> chain = certificates(credential.chain());
            byte[] pkcs8 = Base64.getMimeDecoder().decode(credential.privateKeyPem()
                    .replace("-----BEGIN PRIVATE KEY-----", "").replace("-----END PRIVATE KEY-----", ""));
            PrivateKey key = KeyFactory.getInstance(chain.getFirst().getPublicKey().getAlgorithm())
                    .generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            KeyStore store = emptyStore();
            store.setKeyEntry(name(kind), key, keyStorePassword(), chain.toArray(Certificate[]::new));
            return store;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot load " + credential, e);
        }
    }

    /** A fresh copy each time: callers may clear it. */
    public static char[] keyStorePassword() {
        return KEY_STORE_PASSWORD.toCharArray();
    }

    /** A store trusting {@link #rootCertificate()} only. */
    public KeyStore trustStore() {
        try {
            KeyStore store = emptyStore();
            store.setCertificateEntry("root", certificates(root).getFirst());
            return store;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot load " + root, e);
        }
    }

    /** A JSSE server presenting {@code kind}; it trusts the root, should a test require client certificates. */
    public SSLContext jsseServerContext(Kind kind) {
        return context(keyManagers(kind), null);
    }

    /** A JSSE client trusting the root, without a certificate of its own. */
    public SSLContext jsseClientContext() {
        return context(null, null);
    }

    /** A JSSE client trusting the root and presenting {@code kind} if asked (mutual TLS). */
    public SSLContext jsseClientContext(Kind kind) {
        return context(keyManagers(kind), null);
    }

    /** {@link #jsseServerContext(Kind)}, from {@code provider}'s "TLS" SSLContext. */
    public SSLContext serverContext(Kind kind, Provider provider) {
        return context(keyManagers(kind), provider);
    }

    /** {@link #jsseClientContext(Kind)} (null {@code kind}: without a certificate), from {@code provider}. */
    public SSLContext clientContext(Kind kind, Provider provider) {
        return context(kind == null ? null : keyManagers(kind), provider);
    }

    private KeyManager[] keyManagers(Kind kind) {
        try {
            KeyManagerFactory factory = KeyManagerFactory.getInstance("PKIX");
            factory.init(keyStore(kind), keyStorePassword());
            return factory.getKeyManagers();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private SSLContext context(KeyManager[] keyManagers, Provider provider) {
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trustStore());
            SSLContext context = provider == null ? SSLContext.getInstance("TLS") : SSLContext.getInstance("TLS", provider);
            context.init(keyManagers, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyStore emptyStore() throws GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try {
            store.load(null, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return store;
    }

    /** Every certificate of a PEM file, in order. */
    public static List<X509Certificate> certificates(Path pem) {
        try (InputStream in = Files.newInputStream(pem)) {
            return CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
                    .map(X509Certificate.class::cast).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot parse " + pem, e);
        }
    }

    private static String name(Kind kind) {
        return kind.name().toLowerCase().replace('_', '-');
    }

    /**
     * Every key first, all at once: they are independent, and the three RSA keys are most of the
     * time the whole set takes. Certificates then cost a few milliseconds each.
     */
    private static void generateKeys(Path dir) {
        Map<String, KeyType> keys = new LinkedHashMap<>();
        keys.put(ROOT, KeyType.RSA_2048);
        keys.put(Issuer.INTERMEDIATE.file, KeyType.RSA_2048);
        keys.put(Issuer.UNTRUSTED_ROOT.file, KeyType.EC_P256);
        for (Kind kind : Kind.values()) {
            keys.put(name(kind), Spec.of(kind).key());
        }
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> done = new ArrayList<>();
            keys.forEach((name, type) -> done.add(executor.submit(() -> openssl(dir, Stream.concat(
                    Stream.of("genpkey", "-out", name + ".key"), type.genpkeyArgs.stream()).toList()))));
            for (Future<?> future : done) {
                future.get();
            }
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void selfSign(Path dir, String name, String commonName, String extensions) {
        openssl(dir, List.of("req", "-x509", "-config", CONFIG, "-extensions", extensions, "-key", name + ".key",
                "-subj", "/CN=" + commonName, "-days", VALID_DAYS, "-out", name + ".pem"));
    }

    private static void sign(Path dir, String name, String commonName, String extensions, String issuer) {
        openssl(dir, List.of("req", "-x509", "-config", CONFIG, "-extensions", extensions, "-key", name + ".key",
                "-subj", "/CN=" + commonName, "-days", VALID_DAYS, "-CA", issuer + ".pem", "-CAkey", issuer + ".key",
                "-out", name + ".pem"));
    }

    /** OpenSSL 3.0's req and x509 only date a certificate from now (-not_before came in 3.4); ca takes any dates. */
    private static void signWithPastValidity(Path dir, String name, String commonName, String extensions, String issuer) {
        Instant now = Instant.now();
        String request = "ca/" + name + ".csr";
        openssl(dir, List.of("req", "-new", "-config", CONFIG, "-key", name + ".key", "-subj", "/CN=" + commonName,
                "-out", request));
        openssl(dir, List.of("ca", "-config", CONFIG, "-batch", "-notext", "-extensions", extensions,
                "-cert", issuer + ".pem", "-keyfile", issuer + ".key", "-in", request, "-out", name + ".pem",
                "-startdate", CA_DATE.format(now.minus(Duration.ofDays(30))),
                "-enddate", CA_DATE.format(now.minus(Duration.ofDays(1)))));
    }

    private static Path concatenate(Path target, List<Path> parts) {
        try {
            StringBuilder text = new StringBuilder();
            for (Path part : parts) {
                text.append(Files.readString(part));
            }
            return Files.writeString(target, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void openssl(Path dir, List<String> arguments) {
        List<String> command = Stream.concat(Stream.of("openssl"), arguments.stream()).toList();
        ChildProcesses.Exit exit = ChildProcesses.run(command, dir, new byte[0], Duration.ofSeconds(60));
        if (exit.timedOut() || exit.code() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed (exit " + exit.code()
                    + (exit.timedOut() ? ", timed out" : "") + "):\n" + exit.output());
        }
    }

    private static String read(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
