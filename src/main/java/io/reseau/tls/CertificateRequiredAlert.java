package io.reseau.tls;

import io.reseau.internal.ffi.S2n;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.spec.AlgorithmParameterSpec;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The fatal alert a server requiring client certificates sends a client that presented none, as
 * JSSE and OpenSSL send it: {@code certificate_required} in TLS 1.3 (RFC 8446 4.4.2.4),
 * {@code handshake_failure} in TLS 1.2 (RFC 5246 7.4.6). s2n 1.5.23 sends close_notify instead,
 * and a TLS 1.3 client, whose handshake ended before the server read its empty certificate, takes
 * that for a clean end of the stream rather than a refusal.
 *
 * <p>In TLS 1.2 the server has not changed cipher specs by then: the alert is a plaintext record.
 * In TLS 1.3 the server has switched to its application traffic keys (it sent its Finished) and
 * has sent nothing under them: the alert is the first record protected with the keys of
 * {@code SERVER_TRAFFIC_SECRET_0} (RFC 8446 5.2, 7.3). s2n gives secrets out only through its key
 * log callback, which server contexts requiring certificates install: each connection's server
 * secret is kept until its handshake ends ({@link #forget}) or the alert is made ({@link #take}).
 */
final class CertificateRequiredAlert {
    /** s2n's error for a client without the certificate its server requires: the failure this alert answers. */
    static final String FAILURE = "S2N_ERR_MISSING_CLIENT_CERT";

    private static final String SERVER_SECRET_LABEL = "SERVER_TRAFFIC_SECRET_0 ";
    private static final byte ALERT = 21;
    private static final byte APPLICATION_DATA = 23;
    private static final byte FATAL = 2;
    private static final byte HANDSHAKE_FAILURE = 40;
    private static final byte CERTIFICATE_REQUIRED = 116;
    private static final int TAG_LENGTH = 16;
    private static final int IV_LENGTH = 12;
    private static final int TLS_AES_128_GCM_SHA256 = 0x1301;
    private static final int TLS_AES_256_GCM_SHA384 = 0x1302;
    private static final int TLS_CHACHA20_POLY1305_SHA256 = 0x1303;

    private static final ConcurrentHashMap<Long, byte[]> SERVER_SECRETS = new ConcurrentHashMap<>();

    private CertificateRequiredAlert() {}

    /** s2n's key log callback: keeps the server's application traffic secret of {@code connection}. */
    static void offer(MemorySegment connection, MemorySegment line) {
        int labelLength = SERVER_SECRET_LABEL.length();
        if (line.byteSize() <= labelLength || !SERVER_SECRET_LABEL.equals(ascii(line.asSlice(0, labelLength)))) {
            return;
        }
        String fields = ascii(line.asSlice(labelLength)); // <client random> <secret>
        SERVER_SECRETS.put(connection.address(), HexFormat.of().parseHex(fields, fields.indexOf(' ') + 1, fields.length()));
    }

    /**
     * The alert record (the bytes to send) for the server {@code connection}, which has just
     * failed with {@link #FAILURE}; null if it cannot be made (TLS 1.3 without
     * the secret, or with a cipher suite this does not know).
     */
    static byte[] take(MemorySegment connection) {
        byte[] secret = SERVER_SECRETS.remove(connection.address());
        int version = S2n.protocolVersion(connection);
        if (version < S2n.TLS13) {
            return new byte[] {ALERT, 3, (byte) (version - 30), 0, 2, FATAL, HANDSHAKE_FAILURE};
        }
        if (secret == null) {
            return null;
        }
        try {
            return protectedAlert(S2n.cipherSuiteCode(connection), secret);
        } catch (GeneralSecurityException e) {
            return null;
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
    }

    /**
     * The alert the server {@code connection}, failed with {@code s2nError} (a name, or null), sends
     * instead of what s2n would: this alert's record after {@link #FAILURE}, else null.
     */
    static byte[] answering(MemorySegment connection, String s2nError) {
        return FAILURE.equals(s2nError) ? take(connection) : null;
    }

    /** Forgets the secret kept for {@code connection}, if any: its handshake is over. */
    static void forget(MemorySegment connection) {
        byte[] secret = SERVER_SECRETS.remove(connection.address());
        if (secret != null) {
            Arrays.fill(secret, (byte) 0);
        }
    }

    /** The alert as the first TLS 1.3 record under {@code secret}: sequence number 0, so the nonce is the IV. */
    static byte[] protectedAlert(int cipherSuite, byte[] secret) throws GeneralSecurityException {
        String hmac;
        int keyLength;
        switch (cipherSuite) {
            case TLS_AES_128_GCM_SHA256 -> { hmac = "HmacSHA256"; keyLength = 16; }
            case TLS_AES_256_GCM_SHA384 -> { hmac = "HmacSHA384"; keyLength = 32; }
            case TLS_CHACHA20_POLY1305_SHA256 -> { hmac = "HmacSHA256"; keyLength = 32; }
            default -> { return null; }
        }
        byte[] key = expandLabel(hmac, secret, "key", keyLength);
        byte[] iv = expandLabel(hmac, secret, "iv", IV_LENGTH);
        try {
            boolean chacha = cipherSuite == TLS_CHACHA20_POLY1305_SHA256;
            Cipher cipher = Cipher.getInstance(chacha ? "ChaCha20-Poly1305" : "AES/GCM/NoPadding");
            AlgorithmParameterSpec nonce = chacha ? new IvParameterSpec(iv) : new GCMParameterSpec(TAG_LENGTH * 8, iv);
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, chacha ? "ChaCha20" : "AES"), nonce);
            byte[] inner = {FATAL, CERTIFICATE_REQUIRED, ALERT}; // the alert, then its real content type
            int length = inner.length + TAG_LENGTH;
            byte[] record = new byte[5 + length];
            record[0] = APPLICATION_DATA; // what every protected TLS 1.3 record claims to be
            record[1] = 3;
            record[2] = 3;
            record[3] = (byte) (length >>> 8);
            record[4] = (byte) length;
            cipher.updateAAD(record, 0, 5);
            cipher.doFinal(inner, 0, inner.length, record, 5);
            return record;
        } finally {
            Arrays.fill(key, (byte) 0);
            Arrays.fill(iv, (byte) 0);
        }
    }

    /** HKDF-Expand-Label(secret, label, "", length) of RFC 8446 7.1, for lengths up to one HMAC output. */
    private static byte[] expandLabel(String hmac, byte[] secret, String label, int length) throws GeneralSecurityException {
        byte[] fullLabel = ("tls13 " + label).getBytes(StandardCharsets.US_ASCII);
        ByteBuffer info = ByteBuffer.allocate(2 + 1 + fullLabel.length + 1 + 1);
        info.putShort((short) length).put((byte) fullLabel.length).put(fullLabel).put((byte) 0); // empty context
        info.put((byte) 1); // HKDF-Expand's first block: T(1) = HMAC(secret, info | 0x01)
        Mac mac = Mac.getInstance(hmac);
        mac.init(new SecretKeySpec(secret, hmac));
        return Arrays.copyOf(mac.doFinal(info.array()), length);
    }

    private static String ascii(MemorySegment bytes) {
        return new String(bytes.toArray(ValueLayout.JAVA_BYTE), StandardCharsets.US_ASCII);
    }
}
