package io.reseau.socket;

import io.reseau.common.IoErrorException;
import io.reseau.internal.access.SocketAccess;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.CompletableFuture;

/** The blocking facade's way to {@link Socket}'s package-private calls: see {@link SocketAccess}. */
final class FacadeAccess implements SocketAccess {
    @Override
    public long sendNow(Socket socket, MemorySegment data, long offset, long length) throws IoErrorException {
        return socket.sendNow(data, offset, length);
    }

    @Override
    public boolean sendUrgentNow(Socket socket, byte data) throws IoErrorException {
        return socket.sendUrgentNow(data);
    }

    @Override
    public long receiveNow(Socket socket, MemorySegment data, long offset, long length) throws IoErrorException {
        return socket.receiveNow(data, offset, length);
    }

    @Override
    public int bytesReadable(Socket socket) {
        return socket.bytesReadable();
    }

    @Override
    public void observeReadable(Socket socket, Runnable observer) {
        socket.observeReadable(observer);
    }

    @Override
    public void notifyWhenWritable(Socket socket, Runnable whenWritable) {
        socket.notifyWhenWritable(whenWritable);
    }

    @Override
    public void holdWrites(Socket socket) {
        socket.holdWrites();
    }

    @Override
    public void releaseWrites(Socket socket) {
        socket.releaseWrites();
    }

    @Override
    public CompletableFuture<Void> whenDescriptorClosed(Socket socket) {
        return socket.whenDescriptorClosed();
    }
}
