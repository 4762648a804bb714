package io.reseau.pipe;

import io.reseau.common.IoError;
import io.reseau.common.IoErrorException;
import io.reseau.eventloop.EventLoop;
import io.reseau.eventloop.IoEvents;
import io.reseau.eventloop.IoHandle;
import io.reseau.eventloop.OwningLoop;
import io.reseau.eventloop.Task;
import io.reseau.internal.ffi.Errno;
import io.reseau.internal.ffi.Libc;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Objects;

/**
 * The write end of a {@link Pipe} (aws-c-io's {@code aws_pipe_write_end}): it belongs to one event
 * loop, and writes and their callbacks happen on that loop's thread. Writes are queued and leave
 * in order, each as far as the pipe has room; the end watches for room from the start, as
 * aws-c-io's does.
 *
 * <p>A write's callback always runs in a later task than its write, in the order of the writes
 * (aws-c-io runs it within {@code aws_pipe_write} when the pipe has room; later, a callback may
 * write again or close the end without reentering the write in progress). Closing the end
 * completes every write still waiting with {@code BROKEN_PIPE} and a null end.
 */
public final class PipeWriteEnd implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(PipeWriteEnd.class.getName());

    private final EventLoop loop;
    private final int fd;
    private final IoHandle handle;
    // Loop thread only. queued: not yet all written, in order; finished: written or failed,
    // waiting for their callbacks, in order.
    private final ArrayDeque<PipeWrite> queued = new ArrayDeque<>();
    private final ArrayDeque<PipeWrite> finished = new ArrayDeque<>();
    private final Task completions = new Task("pipe-write-completions", status -> runCompletions());
    private boolean writable = true; // as aws-c-io: assumed until a write finds the pipe full
    private volatile Runnable eventObserver; // the blocking stream's, told of every event
    private volatile boolean closed;

    PipeWriteEnd(EventLoop loop, int fd) {
        this.loop = loop;
        this.fd = fd;
        this.handle = new IoHandle(fd);
    }

    /** Starts watching for room, from any thread: what opening a pipe does. */
    void subscribe() throws IoErrorException {
        loop.subscribe(handle, IoEvents.WRITABLE, this::onEvent);
    }

    /** The loop this end belongs to; from any thread. */
    public EventLoop eventLoop() {
        return loop;
    }

    public boolean isOpen() {
        return !closed;
    }

    /**
     * Queues {@code source}'s bytes, from its position to its limit, and writes what the pipe takes
     * now. The buffer must stay untouched until {@code callback} runs; its position is not moved.
     * Loop thread only.
     *
     * @throws IoErrorException {@code BROKEN_PIPE} on a closed end (no callback then)
     */
    public void write(ByteBuffer source, PipeWriteCallback callback) throws IoErrorException {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(callback, "callback");
        if (!loop.isOnLoopThread()) {
            throw new IllegalStateException(IoError.EVENT_LOOP_THREAD_ONLY.awsName()
                    + ": a pipe's write end must write on " + loop.name() + "'s thread");
        }
        if (closed) {
            throw new IoErrorException(IoError.BROKEN_PIPE, "cannot write on a closed write end");
        }
        queued.add(new PipeWrite(source, callback));
        if (writable) {
            writeQueued();
        }
    }

    /**
     * Closes the end (aws-c-io's {@code aws_pipe_clean_up_write_end}): it stops watching, closes the
     * descriptor (the read end then hears {@code BROKEN_PIPE}) and runs the callbacks of every write
     * not yet reported, with a null end: {@code BROKEN_PIPE} for those not all written, their own
     * result for the others. Idempotent. At once on the loop's thread (from within a callback too);
     * from another thread it runs on the loop and waits for it, so not from another loop's thread;
     * on the caller once the loop is destroyed.
     */
    @Override
    public void close() {
        try {
            OwningLoop.run(loop, "pipe-write-end-close", this::closeOnLoop);
        } catch (IoErrorException e) {
            throw new IllegalStateException("closing cannot fail", e);
        }
    }

    /** The descriptor, for the blocking stream that owns this end. */
    int fd() {
        return fd;
    }

    /** Runs {@code observer} on the loop at each event of this end (room, the read end's closing). */
    void observeEvents(Runnable observer) {
        eventObserver = observer;
    }

    private void closeOnLoop(boolean loopAlive) {
        if (closed) {
            return;
        }
        closed = true;
        if (loopAlive) {
            try {
                loop.unsubscribe(handle);
            } catch (IoErrorException e) {
                LOG.log(System.Logger.Level.WARNING, "unsubscribing a pipe's write end failed: " + e.getMessage());
            }
        }
        Libc.close(fd);
        for (PipeWrite write; (write = finished.poll()) != null; ) {
            write.callback.onWriteCompleted(null, write.error, write.source);
        }
        for (PipeWrite write; (write = queued.poll()) != null; ) {
            write.callback.onWriteCompleted(null, IoError.BROKEN_PIPE, write.source);
        }
    }

    /**
     * Writes the queued writes in order until the pipe is full. A write that fails ends with its
     * error and the next one is tried, as aws-c-io does (after EPIPE, they all fail alike).
     */
    private void writeQueued() {
        for (PipeWrite head; (head = queued.peek()) != null; ) {
            if (head.remaining() > 0) {
                long n = Libc.write(fd, head.rest(), head.remaining());
                if (n == -Errno.EAGAIN) {
                    writable = false;
                    break;
                }
                if (n < 0) {
                    head.error = PipeDescriptors.errorOf((int) -n);
                } else {
                    head.advance(n);
                    if (head.remaining() > 0) {
                        continue;
                    }
                }
            }
            finished.add(queued.poll());
        }
        scheduleCompletions();
    }

    /**
     * Reports the writes that had finished when this task began, in order; one finished by a
     * callback's own write waits for the next task. Also when the loop is destroyed: their
     * results stand.
     */
    private void runCompletions() {
        for (int count = finished.size(); count > 0 && !closed; count--) {
            PipeWrite write = finished.poll();
            write.callback.onWriteCompleted(this, write.error, write.source);
        }
        scheduleCompletions();
    }

    private void scheduleCompletions() {
        if (!finished.isEmpty() && !closed && !completions.isScheduled()) {
            loop.scheduleNow(completions);
        }
    }

    /**
     * Room in the pipe, or the read end's closing (an error event, which aws-c-io ignores): either
     * way the next write will not block, and tells which.
     */
    private void onEvent(EventLoop eventLoop, IoHandle ioHandle, int events) {
        if (closed) {
            return;
        }
        writable = true;
        writeQueued();
        Runnable observer = eventObserver;
        if (observer != null) {
            observer.run();
        }
    }

    @Override
    public String toString() {
        return "PipeWriteEnd[fd=" + fd + ", " + loop.name() + (closed ? ", closed" : "") + "]";
    }
}
