package io.reseau.internal.ffi;

import java.lang.foreign.MemorySegment;

/**
 * Where the secrets of a config's connections go, as s2n derives them (its key log callback): one
 * line of the NSS key log format each, such as {@code CLIENT_RANDOM <client random> <master secret>}
 * in hex, without a line end. s2n calls it inside {@code s2n_negotiate}, on the thread making that
 * call (an event loop, or a virtual thread pinned for the call): it must return at once, without
 * blocking or parking.
 */
@FunctionalInterface
public interface S2nKeyLog {
    /** @param line the line, readable only during the call */
    void log(MemorySegment connection, MemorySegment line);
}
