package io.reseau.pipe;

import io.reseau.common.IoError;
import io.reseau.common.IoErrorException;
import io.reseau.eventloop.EventLoop;
import io.reseau.eventloop.IoEvents;
import io.reseau.eventloop.IoHandle;
import io.reseau.eventloop.OwningLoop;
import io.reseau.internal.ffi.Errno;
import io.reseau.internal.ffi.Libc;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * The read end of a {@link Pipe} (aws-c-io's {@code aws_pipe_read_end}): it belongs to one event
 * loop, and reads, subscriptions and their callbacks happen on that loop's thread. Readability is
 * an edge: the callback hears of bytes once, and again only after a read has emptied the pipe and
 * more arrived; subscribing while bytes wait reports them at once.
 *
 * <p>Misuse (another thread, a second subscription) throws {@link IllegalStateException} naming
 * aws-c-io's error; anything done on a closed end fails with {@code BROKEN_PIPE}, as aws-c-io's
 * cleaned-up end does.
 */
public final class PipeReadEnd implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(PipeReadEnd.class.getName());

    private final EventLoop loop;
    private final int fd;
    private final IoHandle handle;
    private PipeReadableCallback callback; // loop thread; set while subscribed
    private volatile boolean closed;

    PipeReadEnd(EventLoop loop, int fd) {
        this.loop = loop;
        this.fd = fd;
        this.handle = new IoHandle(fd);
    }

    /** The loop this end belongs to; from any thread. */
    public EventLoop eventLoop() {
        return loop;
    }

    public boolean isOpen() {
        return !closed;
    }

    /**
     * Reads what the pipe holds into {@code destination}, from its position up to its limit, and
     * advances the position: the buffer is filled, never grown (aws-c-io's read into a byte
     * buffer's spare capacity). Loop thread only.
     *
     * @return the bytes read: 0 when {@code destination} has no room, and once the write end is
     *     closed and everything was read (the callback then reports {@code BROKEN_PIPE})
     * @throws IoErrorException {@code READ_WOULD_BLOCK} when the pipe is empty for now;
     *     {@code BROKEN_PIPE} on a closed end; {@code SYS_CALL_FAILURE} for any other failure
     */
    public int read(ByteBuffer destination) throws IoErrorException {
        if (destination.isReadOnly()) {
            throw new IllegalArgumentException("cannot read into a read-only buffer");
        }
        requireLoopThread("read");
        requireOpen("read");
        int room = destination.remaining();
        if (room == 0) {
            return 0;
        }
        long n = Libc.read(fd, MemorySegment.ofBuffer(destination), room);
        if (n == -Errno.EAGAIN) {
            throw new IoErrorException(IoError.READ_WOULD_BLOCK, "the pipe is empty");
        }
        if (n < 0) {
            throw PipeDescriptors.failure("read", (int) -n);
        }
        destination.position(destination.position() + (int) n);
        return (int) n;
    }

    /**
     * Delivers readability to {@code readable} from now on. If bytes already wait, or the write end
     * is already closed, it hears so at once (in a later task). Loop thread only.
     *
     * @throws IllegalStateException when already subscribed ({@code AWS_ERROR_IO_ALREADY_SUBSCRIBED})
     * @throws IoErrorException {@code BROKEN_PIPE} on a closed end; what the loop refuses
     */
    public void subscribe(PipeReadableCallback readable) throws IoErrorException {
        Objects.requireNonNull(readable, "readable");
        requireLoopThread("subscribe");
        requireOpen("subscribe");
        if (callback != null) {
            throw new IllegalStateException(IoError.ALREADY_SUBSCRIBED.awsName() + ": the pipe's read end has a subscriber");
        }
        loop.subscribe(handle, IoEvents.READABLE, this::onEvent);
        callback = readable;
    }

    /**
     * Stops the callbacks: none runs after this returns. Loop thread only.
     *
     * @throws IllegalStateException when not subscribed ({@code AWS_ERROR_IO_NOT_SUBSCRIBED})
     * @throws IoErrorException {@code BROKEN_PIPE} on a closed end
     */
    public void unsubscribe() throws IoErrorException {
        requireLoopThread("unsubscribe");
        requireOpen("unsubscribe");
        if (callback == null) {
            throw new IllegalStateException(IoError.NOT_SUBSCRIBED.awsName() + ": the pipe's read end has no subscriber");
        }
        callback = null;
        loop.unsubscribe(handle);
    }

    /**
     * Closes the end (aws-c-io's {@code aws_pipe_clean_up_read_end}): it unsubscribes and closes
     * the descriptor; the write end's writes then fail with {@code BROKEN_PIPE}. Idempotent. At once
     * on the loop's thread (from within a callback too); from another thread it runs on the loop
     * and waits for it, so not from another loop's thread; on the caller once the loop is destroyed.
     */
    @Override
    public void close() {
        try {
            OwningLoop.run(loop, "pipe-read-end-close", this::closeOnLoop);
        } catch (IoErrorException e) {
            throw new IllegalStateException("closing cannot fail", e);
        }
    }

    /** The descriptor, for the blocking stream that owns this end. */
    int fd() {
        return fd;
    }

    private void closeOnLoop(boolean loopAlive) {
        if (closed) {
            return;
        }
        closed = true;
        if (callback != null) {
            callback = null;
            if (loopAlive) {
                try {
                    loop.unsubscribe(handle);
                } catch (IoErrorException e) {
                    LOG.log(System.Logger.Level.WARNING, "unsubscribing a pipe's read end failed: " + e.getMessage());
                }
            }
        }
        Libc.close(fd);
    }

    /** Readability first, even when the write end's closing came with it; then the closing, if still subscribed. */
    private void onEvent(EventLoop eventLoop, IoHandle ioHandle, int events) {
        int rest = events;
        if ((rest & IoEvents.READABLE) != 0) {
            PipeReadableCallback current = callback;
            if (current == null) {
                return;
            }
            current.onReadable(this, null);
            rest &= ~IoEvents.READABLE;
        }
        PipeReadableCallback current = callback; // the callback may have unsubscribed, closed or resubscribed
        if (rest != 0 && current != null && !closed) {
            current.onReadable(this, IoError.BROKEN_PIPE);
        }
    }

    private void requireLoopThread(String operation) {
        if (!loop.isOnLoopThread()) {
            throw new IllegalStateException(IoError.EVENT_LOOP_THREAD_ONLY.awsName() + ": a pipe's read end must "
                    + operation + " on " + loop.name() + "'s thread");
        }
    }

    private void requireOpen(String operation) throws IoErrorException {
        if (closed) {
            throw new IoErrorException(IoError.BROKEN_PIPE, "cannot " + operation + " on a closed read end");
        }
    }

    @Override
    public String toString() {
        return "PipeReadEnd[fd=" + fd + ", " + loop.name() + (closed ? ", closed" : "") + "]";
    }
}
