package io.reseau.socket;

import io.reseau.common.IoError;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;

/**
 * A socket's queued writes (aws-c-io's write queue): those waiting for the kernel, in order; those
 * sent (or failed) whose callbacks have still to run; and a few spare requests, recycled so that
 * steady writing allocates nothing. Loop thread only.
 */
final class WriteQueue {
    // Enough for a writer that keeps a message or two in flight; a burst beyond it (a handshake
    // flight, a bulk hand-over) leaves its extra requests to the collector, not to an idle socket.
    private static final int MAX_SPARE = 2;

    private final ArrayDeque<WriteRequest> pending = new ArrayDeque<>(4);
    private final ArrayDeque<WriteRequest> completed = new ArrayDeque<>(4);
    private WriteRequest spare; // linked through WriteRequest.nextSpare
    private int spareCount;
    private long gathered;

    /** Queues a write behind the others; returns its request. */
    WriteRequest add(MemorySegment data, long offset, long length, WriteCallback callback, Object context) {
        WriteRequest request = spare;
        if (request == null) {
            request = new WriteRequest();
        } else {
            spare = request.nextSpare;
            request.nextSpare = null;
            spareCount--;
        }
        request.data = data;
        request.offset = offset;
        request.length = length;
        request.callback = callback;
        request.context = context;
        pending.add(request);
        return request;
    }

    /** Whether {@code request} is the only write waiting (nothing queued before it). */
    boolean isOnly(WriteRequest request) {
        return pending.size() == 1 && pending.peek() == request;
    }

    boolean hasPending() {
        return !pending.isEmpty();
    }

    boolean hasCompleted() {
        return !completed.isEmpty();
    }

    /** Puts what is left of the waiting writes into {@code vectors} (as many as fit); returns their count. */
    int gather(IoVectors vectors) {
        int count = 0;
        gathered = 0;
        for (WriteRequest request : pending) {
            vectors.set(count++, request.data, request.offset + request.written, request.remaining());
            gathered += request.remaining();
            if (count == IoVectors.MAX_WRITE_BUFFERS) {
                break;
            }
        }
        return count;
    }

    /** The bytes the last {@link #gather} offered. */
    long gathered() {
        return gathered;
    }

    /** The kernel took {@code sent} bytes: writes it finished move on to their callbacks. */
    void advance(long sent) {
        for (long left = sent; left > 0; ) {
            WriteRequest request = pending.peek();
            long taken = Math.min(left, request.remaining());
            request.written += taken;
            left -= taken;
            if (request.remaining() == 0) {
                pending.poll();
                completed.add(request);
            }
        }
    }

    /**
     * Fails every waiting write with {@code error}. {@code synchronous}, if among them, gets no
     * callback: it is recycled, and the error returned for its caller to throw (null otherwise).
     */
    IoError failAll(IoError error, WriteRequest synchronous) {
        IoError returned = null;
        for (WriteRequest failed = pending.poll(); failed != null; failed = pending.poll()) {
            if (failed == synchronous) {
                returned = error;
                recycle(failed);
            } else {
                failed.error = error;
                completed.add(failed);
            }
        }
        return returned;
    }

    /** Runs the callbacks of the writes completed so far; later ones wait for the next call. */
    void completeFinished(Socket socket) {
        for (int count = completed.size(); count > 0 && !completed.isEmpty(); count--) {
            WriteRequest request = completed.poll();
            notify(socket, request, request.error);
        }
    }

    /** The socket closed: every completed write gets its own outcome, every waiting one {@code closed}. */
    void completeAll(Socket socket, IoError closed) {
        while (!completed.isEmpty()) {
            WriteRequest request = completed.poll();
            notify(socket, request, request.error);
        }
        while (!pending.isEmpty()) {
            notify(socket, pending.poll(), closed);
        }
    }

    private void notify(Socket socket, WriteRequest request, IoError error) {
        WriteCallback callback = request.callback;
        Object context = request.context;
        long written = request.written;
        recycle(request);
        callback.onWriteCompleted(socket, error, written, context);
    }

    private void recycle(WriteRequest request) {
        request.clear();
        if (spareCount < MAX_SPARE) {
            request.nextSpare = spare;
            spare = request;
            spareCount++;
        }
    }
}
