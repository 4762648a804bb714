package io.reseau.channel;

import io.reseau.eventloop.EventLoop;
import io.reseau.eventloop.EventLoopLocal;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * One event loop's messages (aws-c-io's message pool): 16 KiB application messages and 128-byte
 * small ones. Native memory is taken in slabs of {@value #MESSAGES_PER_SLAB} messages, carved into
 * messages that are reused, so acquiring and releasing allocate nothing while the need is steady.
 *
 * <p>As aws-c-io's pool keeps a few idle messages of each size and frees those released beyond,
 * this one frees a slab once all its messages are back while a whole slab more than
 * {@link #IDLE_LIMIT} messages of its size are idle: once a burst of connections (and everything
 * they buffered) is over, at most {@code IDLE_LIMIT} messages of each size stay, about 2 MiB,
 * instead of the burst's high-water mark. Slabs are freed whole: while messages are held, a
 * slab with one of them stays.
 *
 * <p>Unlike aws-c-io's, the pool is thread-safe (a short lock): blocking writers fill messages on
 * their own threads and hand them to the loop, which saves a copy.
 */
public final class MessagePool {
    /** The largest message: aws-c-io's {@code g_aws_channel_max_fragment_size}. */
    public static final int MAX_FRAGMENT_SIZE = 16 * 1024;
    /** Size hints up to this get a small message. */
    public static final int SMALL_MESSAGE_SIZE = 128;
    static final int MESSAGES_PER_SLAB = 16;
    /**
     * Idle messages of each size the pool keeps: 128, 2 MiB of application messages. A blocking TLS
     * stream holds up to its read window (1 MiB) and write bound (512 KiB) in messages, and its
     * records besides; keeping less, a steady stream's ebb and flow freed and allocated slabs
     * over and over (a 16 MiB echo: about 50 of each with 1 MiB kept, none with 2 MiB).
     */
    public static final int IDLE_LIMIT = 8 * MESSAGES_PER_SLAB;

    /** The pool of each event loop, created on first use and freed with the loop. */
    public static final EventLoopLocal<MessagePool> PER_LOOP = new EventLoopLocal<>(MessagePool::new, MessagePool::close);

    private final EventLoop loop;
    private final List<MessageSlab> slabs = new ArrayList<>();
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
        message.slab.idle--;
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

    /** Native memory of the messages nobody holds now, in bytes. */
    public synchronized long idleBytes() {
        return (long) freeLarge.size() * MAX_FRAGMENT_SIZE + (long) freeSmall.size() * SMALL_MESSAGE_SIZE;
    }

    void release(IoMessage message) {
        MessageSlab surplus;
        synchronized (this) {
            if (closed) {
                return; // the memory went with the loop
            }
            if (message.pooled) {
                throw new IllegalStateException(message + " was released twice");
            }
            message.pooled = true;
            inUse--;
            ArrayDeque<IoMessage> free = message.buffer().byteSize() == SMALL_MESSAGE_SIZE ? freeSmall : freeLarge;
            free.push(message);
            surplus = ++message.slab.idle == MESSAGES_PER_SLAB && free.size() >= IDLE_LIMIT + MESSAGES_PER_SLAB
                    ? message.slab : null;
            if (surplus != null) {
                free.removeIf(idle -> idle.slab == surplus);
                slabs.remove(surplus);
                nativeBytes -= surplus.bytes;
            }
        }
        if (surplus != null) {
            surplus.arena.close(); // outside the lock: closing a shared arena waits on every thread
        }
    }

    private void addSlab(ArrayDeque<IoMessage> free, int messageSize) {
        MessageSlab slab = new MessageSlab((long) messageSize * MESSAGES_PER_SLAB);
        MemorySegment memory = slab.arena.allocate(slab.bytes, 64);
        slabs.add(slab);
        nativeBytes += slab.bytes;
        for (int i = 0; i < MESSAGES_PER_SLAB; i++) {
            free.push(new IoMessage(this, slab, memory.asSlice((long) i * messageSize, messageSize)));
        }
    }

    private synchronized void close() {
        closed = true;
        freeLarge.clear();
        freeSmall.clear();
        // Messages still held by someone now fail on access instead of touching freed memory.
        slabs.forEach(slab -> slab.arena.close());
        slabs.clear();
        nativeBytes = 0;
    }
}
