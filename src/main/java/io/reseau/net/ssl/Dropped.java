package io.reseau.net.ssl;

import java.lang.ref.Cleaner;

/**
 * Frees the native resources of JSSE objects an application drops: an {@code SSLContext} and an
 * {@code SSLEngine} have no close in JSSE's API (JSSE's own hold only heap), so their s2n configs
 * and connections go when they become unreachable. One daemon thread for all of them.
 */
final class Dropped {
    static final Cleaner CLEANER = Cleaner.create();

    private Dropped() {}
}
