package io.reseau.cli.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.HandshakeCompletedListener;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * An {@link SSLEngine} driven over a plain JDK socket, blocking, the way an NIO framework drives
 * one: ciphertext read from the socket is unwrapped into a plaintext buffer, writes are wrapped into
 * records that go out several at a time. It lets scenario D run the same SSLSocket code over any
 * provider's engine ({@link EngineSockets}), so that two engines are compared by the same driver.
 * One reader and one writer may run at once; the handshake runs alone, on the first call that needs
 * it. Only the socket calls the benchmark makes are passed to the plain socket.
 */
final class EngineSocket extends SSLSocket {
    private static final ByteBuffer NOTHING = ByteBuffer.allocate(0);
    /** Records wrapped before they are written: a 64 KiB write goes out in one socket write. */
    private static final int RECORDS_PER_WRITE = 4;

    private final Socket transport;
    private final SSLEngine engine;
    private final InputStream fromPeer;
    private final OutputStream toPeer;
    // Held for a side's call; both, reading first, while the handshake runs.
    private final ReentrantLock reading = new ReentrantLock();
    private final ReentrantLock writing = new ReentrantLock();
    private ByteBuffer received; // ciphertext not yet unwrapped, position to limit
    private ByteBuffer plaintext; // unwrapped, not yet read, position to limit
    private ByteBuffer toSend; // wrapped records, 0 to position
    private volatile boolean handshaken;
    private boolean inputEnded; // guarded by reading
    private volatile boolean closed;

    EngineSocket(Socket transport, SSLEngine engine) throws IOException {
        this.transport = transport;
        this.engine = engine;
        this.fromPeer = transport.getInputStream();
        this.toPeer = transport.getOutputStream();
        SSLSession session = engine.getSession();
        received = ByteBuffer.allocate(session.getPacketBufferSize()).flip();
        plaintext = ByteBuffer.allocate(session.getApplicationBufferSize()).flip();
        toSend = ByteBuffer.allocate(session.getPacketBufferSize() * RECORDS_PER_WRITE);
    }

    @Override
    public void startHandshake() throws IOException {
        if (handshaken) {
            return;
        }
        reading.lock();
        writing.lock();
        try {
            if (handshaken) {
                return;
            }
            engine.beginHandshake();
            while (!handshaken) {
                switch (engine.getHandshakeStatus()) {
                    case NEED_WRAP -> wrap(NOTHING);
                    case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                        flush(); // the flight wrapped so far, before waiting for the answer
                        if (!unwrap(false)) {
                            throw new SSLHandshakeException("the peer closed the connection during the handshake");
                        }
                    }
                    case NEED_TASK -> runTasks();
                    case FINISHED, NOT_HANDSHAKING -> {
                        flush();
                        handshaken = true;
                    }
                }
            }
        } finally {
            writing.unlock();
            reading.unlock();
        }
    }

    private int read(byte[] into, int offset, int length) throws IOException {
        startHandshake();
        reading.lock();
        try {
            while (!plaintext.hasRemaining()) {
                if (inputEnded || !unwrap(true)) {
                    return -1;
                }
            }
            int n = Math.min(length, plaintext.remaining());
            plaintext.get(into, offset, n);
            return n;
        } finally {
            reading.unlock();
        }
    }

    /**
     * Unwraps received records, reading the socket when none is whole, until one produced plaintext
     * ({@code untilData}) or any one was taken; false once the input ended (close_notify or the end
     * of the stream).
     */
    private boolean unwrap(boolean untilData) throws IOException {
        plaintext.compact();
        try {
            while (true) {
                SSLEngineResult result = engine.unwrap(received, plaintext);
                switch (result.getStatus()) {
                    case BUFFER_UNDERFLOW -> {
                        if (!fill()) {
                            inputEnded = true;
                            return false;
                        }
                    }
                    case BUFFER_OVERFLOW -> plaintext = larger(plaintext.flip(), engine.getSession().getApplicationBufferSize()).compact();
                    case CLOSED -> {
                        inputEnded = true;
                        return false;
                    }
                    case OK -> {
                        answer(result.getHandshakeStatus());
                        if (!untilData || result.bytesProduced() > 0) {
                            return true;
                        }
                    }
                }
            }
        } finally {
            plaintext.flip();
        }
    }

    /** After the handshake, what an unwrap asks for: a task, or a record to send (a key update's answer). */
    private void answer(SSLEngineResult.HandshakeStatus status) throws IOException {
        if (status == SSLEngineResult.HandshakeStatus.NEED_TASK) {
            runTasks();
        } else if (status == SSLEngineResult.HandshakeStatus.NEED_WRAP && handshaken) {
            writing.lock();
            try {
                wrap(NOTHING);
                flush();
            } finally {
                writing.unlock();
            }
        }
    }

    /** Reads the socket into {@code received}; false at the end of the stream. */
    private boolean fill() throws IOException {
        received.compact();
        try {
            if (!received.hasRemaining()) {
                received = larger(received.flip(), engine.getSession().getPacketBufferSize()).compact();
            }
            int n = fromPeer.read(received.array(), received.arrayOffset() + received.position(), received.remaining());
            if (n < 0) {
                return false;
            }
            received.position(received.position() + n);
            return true;
        } finally {
            received.flip();
        }
    }

    private void write(byte[] from, int offset, int length) throws IOException {
        startHandshake();
        writing.lock();
        try {
            ByteBuffer source = ByteBuffer.wrap(from, offset, length);
            while (source.hasRemaining()) {
                wrap(source);
            }
            flush();
        } finally {
            writing.unlock();
        }
    }

    /** Wraps one record from {@code source} into {@code toSend}, writing what is there first if it is full. */
    private void wrap(ByteBuffer source) throws IOException {
        while (true) {
            SSLEngineResult result = engine.wrap(source, toSend);
            switch (result.getStatus()) {
                case OK -> {
                    if (result.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_TASK) {
                        runTasks();
                    }
                    if (toSend.remaining() < engine.getSession().getPacketBufferSize()) {
                        flush();
                    }
                    return;
                }
                case BUFFER_OVERFLOW -> {
                    if (toSend.position() > 0) {
                        flush();
                    } else {
                        toSend = larger(toSend.flip(), engine.getSession().getPacketBufferSize()).compact();
                    }
                }
                case CLOSED -> {
                    flush();
                    throw new SocketException("Socket output is closed");
                }
                case BUFFER_UNDERFLOW -> throw new IllegalStateException("wrap cannot underflow");
            }
        }
    }

    private void flush() throws IOException {
        if (toSend.position() > 0) {
            toPeer.write(toSend.array(), toSend.arrayOffset(), toSend.position());
            toSend.clear();
        }
    }

    private void runTasks() {
        for (Runnable task; (task = engine.getDelegatedTask()) != null; ) {
            task.run();
        }
    }

    /** A buffer in read mode with {@code buffer}'s content and room for {@code more} bytes after it. */
    private static ByteBuffer larger(ByteBuffer buffer, int more) {
        ByteBuffer larger = ByteBuffer.allocate(buffer.remaining() + more);
        return larger.put(buffer).flip();
    }

    /** close_notify, once: the peer's read ends. */
    private void closeOutbound() throws IOException {
        engine.closeOutbound();
        while (!engine.isOutboundDone()) {
            SSLEngineResult result = engine.wrap(NOTHING, toSend);
            if (result.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                flush();
            }
        }
        flush();
    }

    @Override
    public void shutdownOutput() throws IOException {
        writing.lock();
        try {
            closeOutbound();
        } finally {
            writing.unlock();
        }
        transport.shutdownOutput();
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        // close_notify when no write is under way (a blocked one would hold the close up), then the socket.
        if (handshaken && writing.tryLock()) {
            try {
                closeOutbound();
            } catch (IOException e) {
                // the peer is gone: closing the socket is all that is left
            } finally {
                writing.unlock();
            }
        }
        transport.close();
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public InputStream getInputStream() {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return EngineSocket.this.read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] into, int offset, int length) throws IOException {
                return length == 0 ? 0 : EngineSocket.this.read(into, offset, length);
            }
        };
    }

    @Override
    public OutputStream getOutputStream() {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                EngineSocket.this.write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] from, int offset, int length) throws IOException {
                EngineSocket.this.write(from, offset, length);
            }
        };
    }

    @Override
    public void setTcpNoDelay(boolean on) throws SocketException {
        transport.setTcpNoDelay(on);
    }

    @Override
    public boolean isConnected() {
        return transport.isConnected();
    }

    @Override
    public InetAddress getInetAddress() {
        return transport.getInetAddress();
    }

    @Override
    public int getPort() {
        return transport.getPort();
    }

    @Override
    public SSLSession getSession() {
        try {
            startHandshake();
        } catch (IOException e) {
            // as SSLSocket's contract: a failed handshake gives the invalid session
        }
        return engine.getSession();
    }

    @Override
    public SSLSession getHandshakeSession() {
        return engine.getHandshakeSession();
    }

    @Override
    public String getApplicationProtocol() {
        return engine.getApplicationProtocol();
    }

    @Override
    public SSLParameters getSSLParameters() {
        return engine.getSSLParameters();
    }

    @Override
    public void setSSLParameters(SSLParameters parameters) {
        engine.setSSLParameters(parameters);
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return engine.getSupportedCipherSuites();
    }

    @Override
    public String[] getEnabledCipherSuites() {
        return engine.getEnabledCipherSuites();
    }

    @Override
    public void setEnabledCipherSuites(String[] suites) {
        engine.setEnabledCipherSuites(suites);
    }

    @Override
    public String[] getSupportedProtocols() {
        return engine.getSupportedProtocols();
    }

    @Override
    public String[] getEnabledProtocols() {
        return engine.getEnabledProtocols();
    }

    @Override
    public void setEnabledProtocols(String[] protocols) {
        engine.setEnabledProtocols(protocols);
    }

    @Override
    public void setUseClientMode(boolean client) {
        engine.setUseClientMode(client);
    }

    @Override
    public boolean getUseClientMode() {
        return engine.getUseClientMode();
    }

    @Override
    public void setNeedClientAuth(boolean need) {
        engine.setNeedClientAuth(need);
    }

    @Override
    public boolean getNeedClientAuth() {
        return engine.getNeedClientAuth();
    }

    @Override
    public void setWantClientAuth(boolean want) {
        engine.setWantClientAuth(want);
    }

    @Override
    public boolean getWantClientAuth() {
        return engine.getWantClientAuth();
    }

    @Override
    public void setEnableSessionCreation(boolean create) {
        engine.setEnableSessionCreation(create);
    }

    @Override
    public boolean getEnableSessionCreation() {
        return engine.getEnableSessionCreation();
    }

    /** The benchmark does not listen for handshakes: it calls {@link #startHandshake()}. */
    @Override
    public void addHandshakeCompletedListener(HandshakeCompletedListener listener) {
        throw new UnsupportedOperationException("the benchmark's engine sockets report no handshake events");
    }

    @Override
    public void removeHandshakeCompletedListener(HandshakeCompletedListener listener) {
        throw new UnsupportedOperationException("the benchmark's engine sockets report no handshake events");
    }

    @Override
    public String toString() {
        return "EngineSocket[" + engine.getClass().getSimpleName() + " over " + transport + "]";
    }
}
