package io.reseau.cli;

import io.reseau.cli.bench.TlsCertificates;
import io.reseau.tls.Pem;
import io.reseau.tls.PemObject;
import io.reseau.tls.ReseauProvider;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.List;
import javax.net.ssl.SSLContext;

/**
 * {@code --tls CERT KEY}: a server {@link SSLContext} of the Reseau provider, initialised the JSSE
 * way with a key manager holding the certificate chain and private key read from two PEM files.
 * A file that cannot be read or holds no usable chain or key is the command line's mistake: a
 * {@link UsageException} naming the file.
 */
final class PemServerContext {
    private static final String PKCS8 = "PRIVATE KEY";
    // The JDK's KeyFactory algorithms for the key types a TLS server certificate has.
    private static final List<String> KEY_ALGORITHMS = List.of("RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS");

    private PemServerContext() {}

    static SSLContext of(Path chainFile, Path keyFile) throws UsageException, GeneralSecurityException {
        List<X509Certificate> chain = chain(chainFile);
        PrivateKey key = privateKey(keyFile);
        SSLContext context = SSLContext.getInstance("TLS", new ReseauProvider());
        context.init(TlsCertificates.keyManagers(key, chain), null, null);
        return context;
    }

    private static List<X509Certificate> chain(Path file) throws UsageException {
        List<X509Certificate> chain;
        try {
            chain = Pem.certificates(read(file, "certificate"));
        } catch (IllegalArgumentException e) {
            throw new UsageException("certificate file " + file + ": " + e.getMessage());
        }
        if (chain.isEmpty()) {
            throw new UsageException("certificate file " + file + " holds no certificate");
        }
        return chain;
    }

    private static PrivateKey privateKey(Path file) throws UsageException {
        PemObject key;
        try {
            key = Pem.privateKey(read(file, "key"));
        } catch (IllegalArgumentException e) {
            throw new UsageException("key file " + file + ": " + e.getMessage());
        }
        if (!key.label().equals(PKCS8)) {
            throw new UsageException("key file " + file + ": " + key.label() + " is not PKCS#8 (PRIVATE KEY); "
                    + "openssl pkey -in " + file + " -out pkcs8-key.pem converts it");
        }
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(key.der());
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException e) {
                // not this algorithm's key: try the next
            }
        }
        throw new UsageException("key file " + file + ": not an RSA, EC, Ed25519 or Ed448 key");
    }

    private static String read(Path file, String what) throws UsageException {
        try {
            return Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new UsageException("no " + what + " file " + file);
        } catch (AccessDeniedException e) {
            throw new UsageException("cannot read the " + what + " file " + file + ": permission denied");
        } catch (IOException e) {
            throw new UsageException("cannot read the " + what + " file " + file + ": " + Main.describe(e));
        }
    }
}
