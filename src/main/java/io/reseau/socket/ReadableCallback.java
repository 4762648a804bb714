package io.reseau.socket;

import io.reseau.common.IoError;

/**
 * Told that a connected socket may have bytes to read (error null), or that the peer hung up or
 * the connection failed. Either way the receiver reads until {@link Socket#read} says it would
 * block or reports the end: bytes that arrived before a hang-up are still there to read.
 */
@FunctionalInterface
public interface ReadableCallback {
    void onReadable(Socket socket, IoError error);
}
