package io.reseau.socket;

import io.reseau.common.IoError;
import io.reseau.common.IoErrorException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.SocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Test helpers that connect sockets on a loop and write to them. */
final class SocketPeers {
    private SocketPeers() {}

    record Pair(Socket listener, Socket client, Socket server) implements AutoCloseable {
        @Override
        public void close() {
            client.close();
            server.close();
            listener.close();
        }
    }

    /** A listener bound to {@code bind}, a client connected to it, and the accepted server side. */
    static Pair connectedPair(LoopFixture fixture, SocketOptions options, SocketAddress bind) throws Exception {
        Socket listener = new Socket(options);
        listener.bind(bind);
        listener.listen(16);
        CompletableFuture<Socket> accepted = new CompletableFuture<>();
        listener.startAccept(fixture.loop, (l, socket, error) -> {
            if (error != null) {
                accepted.completeExceptionally(new IoErrorException(error, "accept"));
                return;
            }
            try {
                socket.assignToEventLoop(fixture.loop);
                accepted.complete(socket);
            } catch (IoErrorException e) {
                accepted.completeExceptionally(e);
            }
        });
        Socket client = new Socket(options);
        CompletableFuture<IoError> connected = new CompletableFuture<>();
        client.connect(listener.localAddress(), fixture.loop, (s, error) -> connected.complete(error));
        IoError error = connected.get(10, TimeUnit.SECONDS);
        if (error != null) {
            throw new IoErrorException(error, "connect");
        }
        return new Pair(listener, client, accepted.get(10, TimeUnit.SECONDS));
    }

    record WriteResult(IoError error, long bytesWritten) {}

    /** Writes {@code data} on the loop; the future completes with the write callback. */
    static CompletableFuture<WriteResult> write(LoopFixture fixture, Socket socket, byte[] data) throws Exception {
        CompletableFuture<WriteResult> done = new CompletableFuture<>();
        MemorySegment buffer = Arena.ofAuto().allocate(Math.max(1, data.length));
        MemorySegment.copy(data, 0, buffer, ValueLayout.JAVA_BYTE, 0, data.length);
        fixture.run(() -> {
            socket.write(buffer, 0, data.length, (s, error, written, context) -> done.complete(new WriteResult(error, written)), null);
            return null;
        });
        return done;
    }
}
