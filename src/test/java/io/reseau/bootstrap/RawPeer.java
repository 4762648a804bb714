package io.reseau.bootstrap;

import io.reseau.common.IoError;
import io.reseau.common.IoErrorException;
import io.reseau.eventloop.EventLoop;
import io.reseau.eventloop.Task;
import io.reseau.socket.AcceptListener;
import io.reseau.socket.Socket;
import io.reseau.testing.ReceivedBytes;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A peer without a channel: it accepts one connection, sends, half-closes, and keeps what it reads. */
final class RawPeer implements AcceptListener {
    private final EventLoop loop;
    private final CompletableFuture<Socket> accepted = new CompletableFuture<>();
    private final ReceivedBytes received = new ReceivedBytes();

    RawPeer(EventLoop loop) {
        this.loop = loop;
    }

    @Override
    public void onAcceptResult(Socket listener, Socket socket, IoError error) {
        try {
            socket.assignToEventLoop(loop);
            socket.subscribeToReadableEvents(received);
            accepted.complete(socket);
        } catch (IoErrorException e) {
            accepted.completeExceptionally(e);
        }
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

    byte[] awaitReceived(int count) throws InterruptedException {
        return received.awaitBytes(count);
    }

    void close() throws Exception {
        accepted.get(5, TimeUnit.SECONDS).close();
    }
}
