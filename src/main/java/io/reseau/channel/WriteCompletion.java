package io.reseau.channel;

import io.reseau.common.IoError;

/** Told when a written message has reached the socket, or could not. */
@FunctionalInterface
public interface WriteCompletion {
    /**
     * @param error null when every byte of the message was written
     * @param context the context given with {@link IoMessage#onCompletion}
     */
    void onWriteCompleted(Channel channel, IoMessage message, IoError error, Object context);
}
