package io.reseau.tls;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many TLS connections of this process may wait out s2n's blinding delay at once.
 *
 * <p>After most handshake or record failures s2n asks that the connection's close not show for a
 * random 10-30 s, so that a peer cannot time the failure. Each connection waiting keeps its
 * descriptor and s2n's connection state (about 28 KiB once the handshake's state is freed): a
 * few thousand failures within seconds would pile up thousands of descriptors and tens of MiB
 * until the process runs out. So at most {@link #LIMIT} connections wait (system property
 * {@code reseau.tls.maxBlindedConnections}, default 256: under 300 descriptors and about 7 MiB);
 * beyond that a failed connection closes at once, without the alert it would have sent after its
 * delay. Honest peers' failures (an untrusted certificate, no common protocol) are rare and spread
 * out, so the limit is reached under a flood of failing handshakes, where staying up matters more
 * than hiding when each of them failed.
 */
final class BlindingDelays {
    static final int LIMIT = Math.max(0, Integer.getInteger("reseau.tls.maxBlindedConnections", 256));

    private static final AtomicInteger WAITING = new AtomicInteger();

    private BlindingDelays() {}

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
