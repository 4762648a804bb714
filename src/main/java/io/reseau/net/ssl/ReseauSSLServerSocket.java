package io.reseau.net.ssl;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketOption;
import java.nio.channels.ServerSocketChannel;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;

/**
 * An {@link SSLServerSocket} on Reseau: a Reseau server socket underneath, whose accepted
 * connections come back as server-mode {@link StreamSSLSocket}s with this socket's parameters.
 * As in JSSE, the handshake of an accepted socket runs on its first read or write (or its
 * {@code startHandshake}), on the accepting application's thread, not in {@code accept}.
 */
final class ReseauSSLServerSocket extends SSLServerSocket {
    private final SslConfiguration configuration;
    private final ServerSocket listener;
    private final Object lock = new Object();
    private final SslSettings settings; // accepted sockets share its parameters
    private boolean clientMode; // guarded by lock

    ReseauSSLServerSocket(SslConfiguration configuration, ServerSocket listener, SSLParameters defaults) throws IOException {
        this.configuration = configuration;
        this.listener = listener;
        this.settings = new SslSettings(defaults);
    }

    @Override
    public Socket accept() throws IOException {
        Socket accepted = listener.accept();
        InetSocketAddress peer = (InetSocketAddress) accepted.getRemoteSocketAddress();
        synchronized (lock) {
            return new StreamSSLSocket(configuration, accepted, peer.getAddress().getHostAddress(), peer.getPort(), true,
                    clientMode, settings.current(), null);
        }
    }

    // ---- TLS settings for accepted sockets ----

    @Override
    public SSLParameters getSSLParameters() {
        return settings.copy();
    }

    @Override
    public void setSSLParameters(SSLParameters changes) {
        settings.merge(changes);
    }

    @Override
    public String[] getEnabledCipherSuites() {
        return settings.enabledCipherSuites();
    }

    @Override
    public void setEnabledCipherSuites(String[] suites) {
        settings.enableCipherSuites(suites);
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return settings.supportedCipherSuites();
    }

    @Override
    public String[] getSupportedProtocols() {
        return settings.supportedProtocols();
    }

    @Override
    public String[] getEnabledProtocols() {
        return settings.enabledProtocols();
    }

    @Override
    public void setEnabledProtocols(String[] protocols) {
        settings.enableProtocols(protocols);
    }

    @Override
    public void setNeedClientAuth(boolean need) {
        settings.needClientAuth(need);
    }

    @Override
    public boolean getNeedClientAuth() {
        return settings.needClientAuth();
    }

    @Override
    public void setWantClientAuth(boolean want) {
        settings.wantClientAuth(want);
    }

    @Override
    public boolean getWantClientAuth() {
        return settings.wantClientAuth();
    }

    @Override
    public void setUseClientMode(boolean mode) {
        synchronized (lock) {
            clientMode = mode;
        }
    }

    @Override
    public boolean getUseClientMode() {
        synchronized (lock) {
            return clientMode;
        }
    }

    @Override
    public void setEnableSessionCreation(boolean enabled) {
        SslSettings.requireSessionCreation(enabled);
    }

    @Override
    public boolean getEnableSessionCreation() {
        return true;
    }

    // ---- the listening socket's ----

    @Override
    public void bind(SocketAddress endpoint) throws IOException {
        listener.bind(endpoint);
    }

    @Override
    public void bind(SocketAddress endpoint, int backlog) throws IOException {
        listener.bind(endpoint, backlog);
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }

    @Override
    public boolean isBound() {
        return listener.isBound();
    }

    @Override
    public boolean isClosed() {
        return listener.isClosed();
    }

    @Override
    public InetAddress getInetAddress() {
        return listener.getInetAddress();
    }

    @Override
    public int getLocalPort() {
        return listener.getLocalPort();
    }

    @Override
    public SocketAddress getLocalSocketAddress() {
        return listener.getLocalSocketAddress();
    }

    @Override
    public ServerSocketChannel getChannel() {
        return null;
    }

    @Override
    public void setSoTimeout(int timeout) throws SocketException {
        listener.setSoTimeout(timeout);
    }

    @Override
    public int getSoTimeout() throws IOException {
        return listener.getSoTimeout();
    }

    @Override
    public void setReuseAddress(boolean on) throws SocketException {
        listener.setReuseAddress(on);
    }

    @Override
    public boolean getReuseAddress() throws SocketException {
        return listener.getReuseAddress();
    }

    @Override
    public void setReceiveBufferSize(int size) throws SocketException {
        listener.setReceiveBufferSize(size);
    }

    @Override
    public int getReceiveBufferSize() throws SocketException {
        return listener.getReceiveBufferSize();
    }

    @Override
    public void setPerformancePreferences(int connectionTime, int latency, int bandwidth) {
        listener.setPerformancePreferences(connectionTime, latency, bandwidth);
    }

    @Override
    public <T> ServerSocket setOption(SocketOption<T> name, T value) throws IOException {
        listener.setOption(name, value);
        return this;
    }

    @Override
    public <T> T getOption(SocketOption<T> name) throws IOException {
        return listener.getOption(name);
    }

    @Override
    public Set<SocketOption<?>> supportedOptions() {
        return listener.supportedOptions();
    }

    @Override
    public String toString() {
        return "ReseauSSLServerSocket[" + listener + "]";
    }
}
