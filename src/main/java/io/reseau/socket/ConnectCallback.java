package io.reseau.socket;

import io.reseau.common.IoError;

/** Told once how a connect ended, on the socket's event loop. */
@FunctionalInterface
public interface ConnectCallback {
    /** @param error null when connected */
    void onConnectionResult(Socket socket, IoError error);
}
