package io.reseau.net.ssl;

import java.nio.ByteBuffer;
import javax.net.ssl.SSLException;

/**
 * Where the TLS record arriving from the peer ends, followed over the bytes as they are read: a
 * reader that asks the socket for at most {@link #wanted()} bytes takes none past the record it
 * needs, as JSSE's socket reads a header and then its body. TLS layered over a connection that
 * outlives it (without autoClose) must leave what follows close_notify on the connection.
 */
final class RecordBoundary {
    private final byte[] header = new byte[RecordFraming.HEADER_LENGTH];
    private int headerRead;
    private int bodyLeft;
    private boolean firstFromClient; // a server's first record may be an SSLv2-framed ClientHello

    /** @param server whether the records are a client's, read by a server */
    RecordBoundary(boolean server) {
        this.firstFromClient = server;
    }

    /** The rest of the current record's header, or of its body: never 0. */
    int wanted() {
        return headerRead < header.length ? header.length - headerRead : bodyLeft;
    }

    /**
     * Follows {@code bytes[offset, offset + length)}, read after the bytes followed so far (at
     * most {@link #wanted()} of them).
     *
     * @throws SSLException if a header cannot start a TLS record
     */
    void advance(byte[] bytes, int offset, int length) throws SSLException {
        if (headerRead < header.length) {
            System.arraycopy(bytes, offset, header, headerRead, length);
            headerRead += length;
            if (headerRead == header.length) {
                bodyLeft = RecordFraming.recordLength(ByteBuffer.wrap(header), firstFromClient) - header.length;
                firstFromClient = false;
            }
        } else {
            bodyLeft -= length;
        }
        if (headerRead == header.length && bodyLeft == 0) {
            headerRead = 0; // the next record's header comes next
        }
    }
}
