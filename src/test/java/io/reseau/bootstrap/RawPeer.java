package io.reseau.bootstrap;

import io.reseau.common.IoError;
import io.reseau.common.IoErrorException;
import io.reseau.common.Task;
import io.reseau.eventloop.EventLoop;
import io.reseau.socket.AcceptListener;
import io.reseau.socket.Socket;
import java.io.ByteArrayOutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A peer without a channel: it accepts one connection, sends, half-closes, and keeps what it reads. */
final class RawPeer implements AcceptListener {
    private final EventLoop loop;
    private final CompletableFuture<Socket> accepted = new CompletableFuture<>();
    private final MemorySegment scratch = Arena.ofAuto().allocate(16 * 1024);
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();

    RawPeer(EventLoop loop) {
        this.loop = loop;
    }

    @Override
    public void onAcceptResult(Socket listener, Socket socket, IoError error) {
        try {
            socket.assignToEventLoop(loop);
            socket.subscribeToReadableEvents(this::onReadable);
            accepted.complete(socket);
        } catch (IoErrorException e) {
            accepted.completeExceptionally(e);
        }
    }

    private synchronized void onReadable(Socket socket, IoError error) {
        try {
            long n;
            while ((n = socket.read(scratch, 0, scratch.byteSize())) > 0) {
                received.write(scratch.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE), 0, (int) n);
            }
        } catch (IoErrorException e) {
            // the end of the stream: keep what arrived
        }
        notifyAll();
    }

    /** Writes {@code data}, and once it is written sends FIN. */
    void sendThenHalfClose(byte[] data) throws Exception {
        Socket socket = accepted.get(5, TimeUnit.SECONDS);
        MemorySegment buffer = Arena.ofAuto().allocate(data.length);
        MemorySegment.copy(data, 0, buffer, ValueLayout.JAVA_BYTE, 0, data.length);
        loop.scheduleNow(new Task("raw-peer-send", status -> {
            try {
                socket.write(buffer, 0, data.length, (s, e, n, c) -> {
                    try {
                        s.shutdownOutput();
                    } catch (IoErrorException ex) {
                        throw new IllegalStateException(ex);
                    }
                }, null);
            } catch (IoErrorException e) {
                throw new IllegalStateException(e);
            }
        }));
    }

    synchronized byte[] awaitReceived(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (received.size() < count && System.nanoTime() < deadline) {
            wait(50);
        }
        return received.toByteArray();
    }

    void close() throws Exception {
        accepted.get(5, TimeUnit.SECONDS).close();
    }
}
