package io.reseau.channel;

/** Reads travel left to right (from the socket to the application), writes right to left. */
public enum ChannelDirection {
    READ,
    WRITE
}
