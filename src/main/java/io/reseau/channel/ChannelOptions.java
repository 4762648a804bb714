package io.reseau.channel;

import io.reseau.eventloop.EventLoop;
import java.util.Objects;

/**
 * How a channel is created.
 *
 * @param eventLoop the loop that owns the channel and everything in it
 * @param onSetupCompleted told on the loop once the channel can take slots (error null), or that it
 *     never will (the loop shut down first)
 * @param onShutdownCompleted told once both directions have shut down and pending channel tasks
 *     were cancelled; may be null
 * @param enableReadBackPressure whether reads respect the handlers' read windows
 */
public record ChannelOptions(EventLoop eventLoop, ChannelCallback onSetupCompleted,
        ChannelCallback onShutdownCompleted, boolean enableReadBackPressure) {
    public ChannelOptions {
        Objects.requireNonNull(eventLoop, "eventLoop");
        Objects.requireNonNull(onSetupCompleted, "onSetupCompleted");
    }
}
