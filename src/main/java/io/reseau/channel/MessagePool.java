package io.reseau.channel;

import io.reseau.eventloop.EventLoop;
import io.reseau.eventloop.EventLoopLocal;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;

/**
 * One event loop's messages (aws-c-io's message pool): 16 KiB application messages and 128-byte
 * small ones. Native memory is taken in slabs and carved into messages that are reused, never
 * freed one by one, so acquiring and releasing allocate nothing; the pool keeps what its busiest
 * moment needed until the loop is destroyed.
 *
 * <p>Unlike aws-c-io's, the pool is thread-safe (a short lock): blocking writers fill messages on
 * their own threads and hand them to the loop, which saves a copy.
 */
public final class MessagePool {
    /** The largest message: aws-c-io's {@code g_aws_channel_max_fragment_size}. */
    public static final int MAX_FRAGMENT_SIZE = 16 * 1024;
    /** Size hints up to this get a small message. */
    public static final int SMALL_MESSAGE_SIZE = 128;

    /** The pool of each event loop, created on first use and freed with the loop. */
    public static final EventLoopLocal<MessagePool> PER_LOOP = new EventLoopLocal<>(MessagePool::new, MessagePool::close);

    private static final int MESSAGES_PER_SLAB = 16;

    private final EventLoop loop;
    private final Arena arena = Arena.ofShared();
    private final ArrayDeque<IoMessage> freeLarge = new ArrayDeque<>();
    private final ArrayDeque<IoMessage> freeSmall = new ArrayDeque<>();
    private long nativeBytes;
    private long inUse;
    private boolean closed;

    public MessagePool(EventLoop loop) {
        this.loop = loop;
    }

    /**
     * A message with capacity {@code min(sizeHint, MAX_FRAGMENT_SIZE)}: a small one for hints up to
     * {@value #SMALL_MESSAGE_SIZE} bytes, an application one above. Never null.
     */
    public synchronized IoMessage acquire(int sizeHint, Channel channel) {
        if (closed) {
            throw new IllegalStateException("the message pool of " + loop.name() + " was freed with its loop");
        }
        if (sizeHint <= 0) {
            throw new IllegalArgumentException("a message needs a positive size hint, got " + sizeHint);
        }
        boolean small = sizeHint <= SMALL_MESSAGE_SIZE;
        ArrayDeque<IoMessage> free = small ? freeSmall : freeLarge;
        if (free.isEmpty()) {
            addSlab(free, small ? SMALL_MESSAGE_SIZE : MAX_FRAGMENT_SIZE);
        }
        IoMessage message = free.pop();
        message.prepare(Math.min(sizeHint, MAX_FRAGMENT_SIZE), channel);
        inUse++;
        return message;
    }

    /** Messages acquired and not yet released: what a leak check looks at once everything is closed. */
    public synchronized long messagesInUse() {
        return inUse;
    }

    /** Native memory the pool holds, in bytes. */
    public synchronized long nativeBytes() {
        return nativeBytes;
    }

    synchronized void release(IoMessage message) {
        if (closed) {
            return; // the memory went with the loop
        }
        if (message.pooled) {
            throw new IllegalStateException(message + " was released twice");
        }
        message.pooled = true;
        inUse--;
        (message.buffer().byteSize() == SMALL_MESSAGE_SIZE ? freeSmall : freeLarge).push(message);
    }

    private void addSlab(ArrayDeque<IoMessage> free, int messageSize) {
        MemorySegment slab = arena.allocate((long) messageSize * MESSAGES_PER_SLAB, 64);
        nativeBytes += slab.byteSize();
        for (int i = 0; i < MESSAGES_PER_SLAB; i++) {
            free.push(new IoMessage(this, slab.asSlice((long) i * messageSize, messageSize)));
        }
    }

    private synchronized void close() {
        closed = true;
        freeLarge.clear();
        freeSmall.clear();
        // Messages still held by someone now fail on access instead of touching freed memory.
        arena.close();
    }
}
