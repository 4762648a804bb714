package io.reseau.tls;

import io.reseau.internal.ffi.S2n;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * s2n's blinding delays: which failures Reseau waits out, and how many TLS connections of this
 * process may wait at once.
 *
 * <p>After some failures s2n asks that the connection's close, and the alert it sends, not show for
 * a random 10-30 s, so that a peer cannot time the failure: the defence against timing side
 * channels in decryption (Lucky13-style padding and MAC oracles) and against those not yet known.
 * s2n 1.5.23 asks it where it processes what the peer sent under its control: a record header, a
 * record's decryption and authentication, a handshake or post-handshake message (its parsing,
 * signatures, Finished, certificate validation; a malformed ClientHello gets the same errors as a
 * malformed encrypted message). It does not where nothing secret is involved: no protocol version
 * or cipher suite in common, a handshake cancelled, the peer's own alert. Reseau waits out what s2n
 * asks, except after one more such failure: {@code S2N_ERR_MISSING_CLIENT_CERT}, a client that sent
 * no certificate to a server requiring one. The client knows what it sent, and nothing was decrypted
 * or verified to find out that it was empty; s2n stops blinding it after 1.5.23 (aws/s2n-tls#6072).
 * The client gets the {@link CertificateRequiredAlert} at once instead of 10-30 s later, when its
 * reads have timed out. Certificates that fail validation stay blinded, as s2n keeps them.
 *
 * <p>Each connection waiting keeps its descriptor and s2n's connection state (about 28 KiB once the
 * handshake's state is freed): a few thousand failures within seconds would pile up thousands of
 * descriptors and tens of MiB until the process runs out. So at most {@link #LIMIT} connections wait
 * (system property {@code reseau.tls.maxBlindedConnections}, default 256: under 300 descriptors and
 * about 7 MiB); beyond that a failed connection closes at once, without the alert it would have
 * sent after its delay. Honest peers' failures (an untrusted certificate) are rare and spread out,
 * so the limit is reached under a flood of failing handshakes, where staying up matters more than
 * hiding when each of them failed.
 */
final class BlindingDelays {
    static final int LIMIT = Math.max(0, Integer.getInteger("reseau.tls.maxBlindedConnections", 256));

    private static final AtomicInteger WAITING = new AtomicInteger();

    private BlindingDelays() {}

    /**
     * How long the failed s2n {@code connection} waits before its close shows: what s2n asks,
     * unless its failure (the s2n error's name, or null) is one Reseau waives.
     */
    static long delayNanos(MemorySegment connection, String s2nError) {
        return CertificateRequiredAlert.FAILURE.equals(s2nError) ? 0 : S2n.delayNanos(connection);
    }

    /** Takes a place for a connection to wait in; false if all are taken (the connection closes now). */
    static boolean tryEnter() {
        int waiting;
        do {
            waiting = WAITING.get();
            if (waiting >= LIMIT) {
                return false;
            }
        } while (!WAITING.compareAndSet(waiting, waiting + 1));
        return true;
    }

    /** Gives back a place taken by {@link #tryEnter()}, once the connection's delay has ended. */
    static void leave() {
        WAITING.decrementAndGet();
    }

    /** Connections waiting out their delay now. */
    static int waiting() {
        return WAITING.get();
    }
}
