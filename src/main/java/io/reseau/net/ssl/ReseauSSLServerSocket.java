package io.reseau.net.ssl;

import io.reseau.net.ReseauSocket;
import io.reseau.tls.CipherSuites;
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
 * connections come back as server-mode {@link ReseauSSLSocket}s with this socket's parameters.
 * As in JSSE, the handshake of an accepted socket runs on its first read or write (or its
 * {@code startHandshake}), on the accepting application's thread, not in {@code accept}.
 */
final class ReseauSSLServerSocket extends SSLServerSocket {
    private final SslConfiguration configuration;
    private final ServerSocket listener;
    private final Object lock = new Object();
    private SSLParameters parameters; // guarded by lock; replaced, never changed in place: accepted sockets share it
    private boolean clientMode; // guarded by lock

    ReseauSSLServerSocket(SslConfiguration configuration, ServerSocket listener, SSLParameters defaults) throws IOException {
        this.configuration = configuration;
        this.listener = listener;
        this.parameters = defaults;
    }

    @Override
    public Socket accept() throws IOException {
        ReseauSocket accepted = (ReseauSocket) listener.accept();
        InetSocketAddress peer = (InetSocketAddress) accepted.getRemoteSocketAddress();
        synchronized (lock) {
            return new ReseauSSLSocket(configuration, accepted, peer.getAddress().getHostAddress(), peer.getPort(), true,
                    clientMode, parameters);
        }
    }

    // ---- TLS settings for accepted sockets ----

    @Override
    public SSLParameters getSSLParameters() {
        synchronized (lock) {
            return SslParametersCopy.of(parameters);
        }
    }

    @Override
    public void setSSLParameters(SSLParameters changes) {
        synchronized (lock) {
            parameters = SslParametersCopy.merge(parameters, changes, SslConfiguration.SUPPORTED_PROTOCOLS, CipherSuites.supported());
        }
    }

    @Override
    public String[] getEnabledCipherSuites() {
        return getSSLParameters().getCipherSuites();
    }

    @Override
    public void setEnabledCipherSuites(String[] suites) {
        String[] checked = SslParametersCopy.checked(suites, CipherSuites.supported(), "CipherSuite");
        synchronized (lock) {
            parameters = SslParametersCopy.changed(parameters, p -> p.setCipherSuites(checked));
        }
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return CipherSuites.supported().toArray(String[]::new);
    }

    @Override
    public String[] getSupportedProtocols() {
        return SslConfiguration.SUPPORTED_PROTOCOLS.toArray(String[]::new);
    }

    @Override
    public String[] getEnabledProtocols() {
        return getSSLParameters().getProtocols();
    }

    @Override
    public void setEnabledProtocols(String[] protocols) {
        String[] checked = SslParametersCopy.checked(protocols, SslConfiguration.SUPPORTED_PROTOCOLS, "protocol");
        synchronized (lock) {
            parameters = SslParametersCopy.changed(parameters, p -> p.setProtocols(checked));
        }
    }

    @Override
    public void setNeedClientAuth(boolean need) {
        synchronized (lock) {
            parameters = SslParametersCopy.changed(parameters, p -> p.setNeedClientAuth(need));
        }
    }

    @Override
    public boolean getNeedClientAuth() {
        return getSSLParameters().getNeedClientAuth();
    }

    @Override
    public void setWantClientAuth(boolean want) {
        synchronized (lock) {
            parameters = SslParametersCopy.changed(parameters, p -> p.setWantClientAuth(want));
        }
    }

    @Override
    public boolean getWantClientAuth() {
        return getSSLParameters().getWantClientAuth();
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
        if (!enabled) {
            throw new UnsupportedOperationException("Reseau always creates a new session");
        }
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
