package io.reseau.net.ssl;

import io.reseau.tls.TlsNegotiation;
import io.reseau.tls.TlsVersion;
import java.nio.ByteBuffer;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLProtocolException;

/**
 * Where the first TLS record of a buffer ends, judged by its header as JSSE's engine judges it,
 * and how much plaintext it can carry: an engine unwraps one whole record per call, says
 * BUFFER_UNDERFLOW, consuming nothing, while the record has not all arrived, and BUFFER_OVERFLOW
 * while the room given is less than the record may hold. Bytes whose header cannot start a
 * record (a plaintext protocol, noise) fail at once rather than wait for a record that never comes.
 */
final class RecordFraming {
    static final int HEADER_LENGTH = 5;
    /** The most plaintext a record carries: 2^14 bytes. */
    static final int MAX_PLAINTEXT_LENGTH = 1 << 14;
    /** The longest record TLS allows: 2^14 bytes of plaintext plus 2048 of expansion (RFC 5246 6.2.3). */
    static final int MAX_RECORD_LENGTH = HEADER_LENGTH + MAX_PLAINTEXT_LENGTH + 2048;
    private static final int FIRST_CONTENT_TYPE = 20; // change_cipher_spec
    private static final int LAST_CONTENT_TYPE = 24; // heartbeat
    private static final int SSL3_MAJOR_VERSION = 3;
    private static final int SSLV2_HEADER_BIT = 0x80;
    private static final int MAX_PLAINTEXT = 1 << 14;
    private static final int AEAD_TAG = 16;
    private static final int GCM_EXPLICIT_NONCE = 8;
    private static final int AES_IV = 16;
    private static final int DES_IV = 8;

    private RecordFraming() {}

    /**
     * The length, header included, of the record starting at {@code bytes}' position, or -1 while
     * its header has not all arrived.
     *
     * @param firstFromClient whether these may be a client's first bytes, which may be an SSLv2-framed ClientHello
     * @throws SSLException if the bytes cannot be a TLS record
     */
    static int recordLength(ByteBuffer bytes, boolean firstFromClient) throws SSLException {
        int at = bytes.position();
        if (bytes.remaining() < HEADER_LENGTH) {
            return -1;
        }
        int contentType = bytes.get(at) & 0xff;
        if (firstFromClient && (contentType & SSLV2_HEADER_BIT) != 0) {
            // SSLv2 framing: a 15-bit length after the high bit, counting what follows the two header bytes.
            return (((contentType & 0x7f) << 8) | (bytes.get(at + 1) & 0xff)) + 2;
        }
        if (contentType < FIRST_CONTENT_TYPE || contentType > LAST_CONTENT_TYPE) {
            throw new SSLException("Unrecognized SSL message, plaintext connection?");
        }
        if ((bytes.get(at + 1) & 0xff) != SSL3_MAJOR_VERSION) {
            throw new SSLException("Unsupported or unrecognized SSL message");
        }
        int length = HEADER_LENGTH + (((bytes.get(at + 3) & 0xff) << 8) | (bytes.get(at + 4) & 0xff));
        if (length > MAX_RECORD_LENGTH) {
            throw new SSLProtocolException("Input record too big: max = " + MAX_RECORD_LENGTH + " len = " + length);
        }
        return length;
    }

    /**
     * The most plaintext a record of {@code recordLength} bytes (header included) can carry under
     * what {@code negotiation} agreed: its length less the header and the suite's fixed expansion
     * (AEAD tag and explicit nonce, TLS 1.3's content type byte, CBC's IV, MAC and padding byte).
     * Never more than TLS's 2^14, so a buffer of {@code getApplicationBufferSize()} always has room.
     */
    static int maxPlaintext(int recordLength, TlsNegotiation negotiation) {
        int body = recordLength - HEADER_LENGTH;
        String suite = negotiation.cipherSuite();
        int expansion;
        if (negotiation.version() == TlsVersion.TLS_1_3) {
            expansion = AEAD_TAG + 1;
        } else if (suite.contains("_GCM_")) {
            expansion = GCM_EXPLICIT_NONCE + AEAD_TAG;
        } else if (suite.contains("CHACHA20")) {
            expansion = AEAD_TAG;
        } else if (suite.contains("_CBC_")) {
            int mac = suite.endsWith("_SHA384") ? 48 : suite.endsWith("_SHA256") ? 32 : 20;
            expansion = (suite.contains("3DES") ? DES_IV : AES_IV) + mac + 1;
        } else {
            expansion = 0; // unknown: the whole body, which is never less than the plaintext
        }
        return Math.max(0, Math.min(MAX_PLAINTEXT, body - expansion));
    }
}
