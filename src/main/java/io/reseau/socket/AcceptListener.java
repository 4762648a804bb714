package io.reseau.socket;

import io.reseau.common.IoError;

/** Receives a listening socket's connections, on its event loop. */
public interface AcceptListener {
    /**
     * A connection arrived ({@code accepted} is connected, not yet on any event loop: assign it, or
     * close it), or accepting failed ({@code accepted} null, {@code error} set). After a failure
     * the listening socket keeps accepting: it tries again by itself, backing off while it fails.
     */
    void onAcceptResult(Socket listener, Socket accepted, IoError error);

    /** Accepting has started (error null) on the listener's loop. */
    default void onAcceptStarted(Socket listener, IoError error) {}
}
