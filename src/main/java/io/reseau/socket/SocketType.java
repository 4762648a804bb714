package io.reseau.socket;

/** STREAM (TCP, or a stream Unix socket) or DGRAM (UDP, or a datagram Unix socket). */
public enum SocketType {
    STREAM,
    DGRAM
}
