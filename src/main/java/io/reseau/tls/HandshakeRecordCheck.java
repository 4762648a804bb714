package io.reseau.tls;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Follows the record headers of the bytes a peer sends during the handshake, and tells at once
 * when they cannot be TLS. s2n judges a record only once all of it has arrived, and takes any
 * 16-bit length: noise, or a plaintext protocol ({@code GET / HTTP/1.1}), reads as the header of a
 * record tens of kilobytes long that never comes, and the handshake would wait for its timeout.
 * JSSE refuses such bytes by their header; this does too, by rules s2n applies to the whole
 * record anyway:
 * <ul>
 * <li>the content type is one TLS has (change_cipher_spec, alert, handshake, application_data);
 * <li>a server's records carry a 3.x record version (s2n takes any version in a client's records
 * before the version is negotiated, so a client's are not judged by it).
 * </ul>
 * A client's first record with the high bit set is an SSLv2-framed ClientHello, whose framing s2n
 * reads itself: the check ends there. One thread at a time: the one driving the handshake.
 */
final class HandshakeRecordCheck {
    private static final int HEADER_LENGTH = 5;
    private static final int FIRST_CONTENT_TYPE = 20; // change_cipher_spec
    private static final int LAST_CONTENT_TYPE = 23; // application_data
    private static final int SSL3_MAJOR_VERSION = 3;
    private static final int SSLV2_HEADER_BIT = 0x80;

    private final boolean fromServer;
    private long header; // the bytes of the current header read so far, first byte highest
    private int headerRead;
    private long bodyLeft;
    private boolean firstRecord = true;
    private boolean ended;

    /** @param fromServer whether the bytes are a server's (this side is the client) */
    HandshakeRecordCheck(boolean fromServer) {
        this.fromServer = fromServer;
    }

    /**
     * Follows {@code bytes[0, length)}, the next bytes from the peer.
     *
     * @return null while the bytes may be TLS, else why they are not
     */
    String follow(MemorySegment bytes, int length) {
        int position = 0;
        while (!ended && position < length) {
            if (bodyLeft > 0) {
                int skipped = (int) Math.min(bodyLeft, length - position);
                bodyLeft -= skipped;
                position += skipped;
                continue;
            }
            header = header << 8 | (bytes.get(ValueLayout.JAVA_BYTE, position++) & 0xff);
            if (++headerRead == HEADER_LENGTH) {
                String refusal = judgeHeader();
                if (refusal != null) {
                    return refusal;
                }
            }
        }
        return null;
    }

    private String judgeHeader() {
        int contentType = (int) (header >>> 32) & 0xff;
        int majorVersion = (int) (header >>> 24) & 0xff;
        int minorVersion = (int) (header >>> 16) & 0xff;
        boolean first = firstRecord;
        firstRecord = false;
        headerRead = 0;
        bodyLeft = header & 0xffff;
        header = 0;
        if (first && !fromServer && (contentType & SSLV2_HEADER_BIT) != 0) {
            ended = true;
            return null;
        }
        if (contentType < FIRST_CONTENT_TYPE || contentType > LAST_CONTENT_TYPE) {
            return "the peer's bytes are not TLS: a record of unknown content type " + contentType + " (plaintext connection?)";
        }
        if (fromServer && majorVersion != SSL3_MAJOR_VERSION) {
            return "the peer's bytes are not TLS: a record of version " + majorVersion + "." + minorVersion;
        }
        return null;
    }
}
