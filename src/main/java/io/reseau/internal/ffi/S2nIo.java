package io.reseau.internal.ffi;

import java.lang.foreign.MemorySegment;

/**
 * The bytes an s2n connection reads and writes, supplied by its owner instead of a socket (s2n's
 * custom I/O). s2n calls these from inside {@code s2n_negotiate}, {@code s2n_send} and
 * {@code s2n_recv}, on the thread making that call.
 */
public interface S2nIo {
    /** Nothing can move now: s2n reports the operation blocked, to be retried later. */
    int BLOCKED = -1;
    /** The transport is gone: s2n fails the operation. */
    int BROKEN = -2;

    /** Copies up to {@code buffer.byteSize()} received bytes into {@code buffer}: how many, 0 at the end of the stream, or {@link #BLOCKED}. */
    int receive(MemorySegment buffer);

    /** Takes bytes of {@code buffer} to send: how many (all of them, or some), {@link #BLOCKED} or {@link #BROKEN}. */
    int send(MemorySegment buffer);
}
