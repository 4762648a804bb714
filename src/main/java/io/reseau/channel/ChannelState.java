package io.reseau.channel;

/** A channel's life: set up on its loop, active, shutting down (reads, then writes), shut down. */
public enum ChannelState {
    SETTING_UP,
    ACTIVE,
    SHUTTING_DOWN,
    SHUT_DOWN
}
