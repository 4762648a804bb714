package io.reseau.cli.bench;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * Scenario D's server identity, made fresh in memory for every run so that nothing committed can
 * expire: a certificate authority and a server certificate it signed, both EC P-256 with
 * ECDSA-SHA256 signatures, the server's naming {@code localhost}, 127.0.0.1 and ::1. Every TLS stack
 * uses the same kind of key, so that the handshake's signature costs compare.
 *
 * <p>The server presents its own certificate only (as servers present a leaf and intermediates, not
 * the root); the client trusts the authority and checks the chain with its stack's usual path
 * validation.
 */
public final class TlsCertificates {
    private static final String EC_SHA256 = "1.2.840.10045.4.3.2";
    private static final char[] PASSWORD = "reseau-bench".toCharArray();

    private final X509Certificate authority;
    private final X509Certificate server;
    private final PrivateKey serverKey;

    private TlsCertificates(X509Certificate authority, X509Certificate server, PrivateKey serverKey) {
        this.authority = authority;
        this.server = server;
        this.serverKey = serverKey;
    }

    /** A new authority and server certificate, valid from an hour ago (clock skew) for a week. */
    public static TlsCertificates generate() throws GeneralSecurityException {
        SecureRandom random = new SecureRandom();
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), random);
        KeyPair authorityKeys = generator.generateKeyPair();
        KeyPair serverKeys = generator.generateKeyPair();
        Instant notBefore = Instant.now().minus(Duration.ofHours(1));
        Instant notAfter = notBefore.plus(Duration.ofDays(7));
        byte[] authorityName = name("Reseau benchmark CA");
        X509Certificate authority = sign(tbs(random, authorityName, authorityName, notBefore, notAfter, authorityKeys.getPublic(),
                Der.sequence(
                        extension("2.5.29.19", true, Der.sequence(Der.bool(true))), // basicConstraints: a CA
                        extension("2.5.29.15", true, Der.bitString(1, (byte) 0x06)))), // keyUsage: keyCertSign, cRLSign
                authorityKeys.getPrivate());
        X509Certificate server = sign(tbs(random, authorityName, name("localhost"), notBefore, notAfter, serverKeys.getPublic(),
                Der.sequence(
                        extension("2.5.29.19", true, Der.sequence()), // basicConstraints: not a CA
                        extension("2.5.29.15", true, Der.bitString(7, (byte) 0x80)), // keyUsage: digitalSignature
                        extension("2.5.29.37", false, Der.sequence(Der.oid("1.3.6.1.5.5.7.3.1"))), // extKeyUsage: serverAuth
                        extension("2.5.29.17", false, Der.sequence( // subjectAltName
                                Der.implicit(2, "localhost".getBytes(StandardCharsets.US_ASCII)),
                                Der.implicit(7, InetAddress.getLoopbackAddress().getAddress()),
                                Der.implicit(7, loopbackV6()))))),
                authorityKeys.getPrivate());
        server.verify(authority.getPublicKey());
        authority.verify(authority.getPublicKey());
        return new TlsCertificates(authority, server, serverKeys.getPrivate());
    }

    /** The certificate authority the clients trust. */
    public X509Certificate authority() {
        return authority;
    }

    /** The server's certificate, signed by {@link #authority()}. */
    public X509Certificate server() {
        return server;
    }

    public PrivateKey serverKey() {
        return serverKey;
    }

    /**
     * Key managers holding the server's key and certificate, made the JSSE way: a PKCS12 key store
     * (in memory) through the default {@link KeyManagerFactory}.
     */
    public KeyManager[] keyManagers() throws GeneralSecurityException {
        return keyManagers(serverKey, List.of(server));
    }

    /** Key managers holding {@code key} and its {@code chain} (leaf first), made as {@link #keyManagers()} are. */
    public static KeyManager[] keyManagers(PrivateKey key, List<X509Certificate> chain) throws GeneralSecurityException {
        KeyStore store = emptyStore();
        store.setKeyEntry("server", key, PASSWORD, chain.toArray(X509Certificate[]::new));
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(store, PASSWORD);
        return factory.getKeyManagers();
    }

    /** Trust managers that trust {@link #authority()} alone, from the default {@link TrustManagerFactory}. */
    public TrustManager[] trustManagers() throws GeneralSecurityException {
        return trustManagers(null);
    }

    /**
     * Trust managers that trust {@link #authority()} alone, from {@code provider}'s
     * {@link TrustManagerFactory} of the default algorithm where it has one (as its users get with
     * the provider installed first), else (or with none given) from the default one. Conscrypt needs
     * its own: on TLS 1.3 it names the authentication type {@code GENERIC}, which the JDK's rejects.
     */
    public TrustManager[] trustManagers(Provider provider) throws GeneralSecurityException {
        KeyStore store = emptyStore();
        store.setCertificateEntry("authority", authority);
        String algorithm = TrustManagerFactory.getDefaultAlgorithm();
        TrustManagerFactory factory = provider != null && provider.getService("TrustManagerFactory", algorithm) != null
                ? TrustManagerFactory.getInstance(algorithm, provider)
                : TrustManagerFactory.getInstance(algorithm);
        factory.init(store);
        return factory.getTrustManagers();
    }

    private static KeyStore emptyStore() throws GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try {
            store.load(null, null);
        } catch (IOException e) {
            throw new GeneralSecurityException("cannot create an empty key store", e); // never: nothing is read
        }
        return store;
    }

    /** TBSCertificate (RFC 5280 §4.1), version 3. */
    private static byte[] tbs(SecureRandom random, byte[] issuer, byte[] subject, Instant notBefore, Instant notAfter,
            PublicKey key, byte[] extensions) {
        return Der.sequence(
                Der.explicit(0, Der.integer(BigInteger.TWO)),
                Der.integer(new BigInteger(63, random).add(BigInteger.ONE)),
                Der.sequence(Der.oid(EC_SHA256)),
                issuer,
                Der.sequence(Der.utcTime(notBefore), Der.utcTime(notAfter)),
                subject,
                key.getEncoded(), // SubjectPublicKeyInfo, as the JDK encodes it
                Der.explicit(3, extensions));
    }

    private static X509Certificate sign(byte[] tbs, PrivateKey issuerKey) throws GeneralSecurityException {
        Signature signature = Signature.getInstance("SHA256withECDSA");
        signature.initSign(issuerKey);
        signature.update(tbs);
        byte[] certificate = Der.sequence(tbs, Der.sequence(Der.oid(EC_SHA256)), Der.bitString(signature.sign()));
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(certificate));
    }

    /** A distinguished name with a common name only. */
    private static byte[] name(String commonName) {
        return Der.sequence(Der.set(Der.sequence(Der.oid("2.5.4.3"), Der.utf8String(commonName))));
    }

    private static byte[] extension(String oid, boolean critical, byte[] value) {
        return critical ? Der.sequence(Der.oid(oid), Der.bool(true), Der.octetString(value))
                : Der.sequence(Der.oid(oid), Der.octetString(value));
    }

    private static byte[] loopbackV6() {
        byte[] address = new byte[16];
        address[15] = 1;
        return address;
    }
}
