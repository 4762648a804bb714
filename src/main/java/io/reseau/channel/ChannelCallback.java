package io.reseau.channel;

import io.reseau.common.IoError;

/** Told that a channel finished setting up or shutting down; on the channel's loop thread. */
@FunctionalInterface
public interface ChannelCallback {
    /** @param error null on success (setup) or a clean shutdown */
    void onChannel(Channel channel, IoError error);
}
