package io.reseau.testing;

import io.reseau.common.IoError;
import io.reseau.common.IoErrorException;
import io.reseau.socket.ReadableCallback;
import io.reseau.socket.Socket;
import java.io.ByteArrayOutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.CompletableFuture;

/**
 * A callback socket's reader for tests: subscribed to a socket's readable events, it reads whatever
 * arrives into memory; the end of the stream (or a reset) completes {@link #ended} with its error.
 */
public final class ReceivedBytes implements ReadableCallback {
    private final MemorySegment scratch = Arena.ofAuto().allocate(64 * 1024);
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    public final CompletableFuture<IoError> ended = new CompletableFuture<>();

    @Override
    public synchronized void onReadable(Socket socket, IoError error) {
        try {
            long n;
            while ((n = socket.read(scratch, 0, scratch.byteSize())) > 0) {
                received.write(scratch.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE), 0, (int) n);
            }
        } catch (IoErrorException e) {
            ended.complete(e.error());
        }
        notifyAll();
    }

    /** What arrived, once {@code count} bytes have or {@link Polling#TIMEOUT} has passed: the caller compares. */
    public synchronized byte[] awaitBytes(int count) throws InterruptedException {
        long deadline = System.nanoTime() + Polling.TIMEOUT.toNanos();
        while (received.size() < count && System.nanoTime() < deadline) {
            wait(100);
        }
        return received.toByteArray();
    }

    public synchronized byte[] bytes() {
        return received.toByteArray();
    }
}
