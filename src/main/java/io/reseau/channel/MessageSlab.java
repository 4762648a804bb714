package io.reseau.channel;

import java.lang.foreign.Arena;

/**
 * The native memory of {@link MessagePool#MESSAGES_PER_SLAB} pooled messages, in an arena of its
 * own so that the pool can free it once all of them are idle. Guarded by its pool's lock.
 */
final class MessageSlab {
    final Arena arena = Arena.ofShared();
    final long bytes;
    /** How many of its messages are in the pool's free lists. */
    int idle = MessagePool.MESSAGES_PER_SLAB;

    MessageSlab(long bytes) {
        this.bytes = bytes;
    }
}
