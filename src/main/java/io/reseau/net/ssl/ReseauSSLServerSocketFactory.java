package io.reseau.net.ssl;

import io.reseau.net.ReseauServerSocketFactory;
import io.reseau.tls.CipherSuites;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import javax.net.ServerSocketFactory;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;

/** {@link ReseauSSLServerSocket}s of one SSLContext, over server sockets from {@link ReseauServerSocketFactory}. */
final class ReseauSSLServerSocketFactory extends SSLServerSocketFactory {
    private final SslConfiguration configuration;
    private final SSLParameters defaults;
    private final ServerSocketFactory listeners = ReseauServerSocketFactory.getDefault();

    ReseauSSLServerSocketFactory(SslConfiguration configuration, SSLParameters defaults) {
        this.configuration = configuration;
        this.defaults = SslParametersCopy.of(defaults);
    }

    @Override
    public String[] getDefaultCipherSuites() {
        return defaults.getCipherSuites();
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return CipherSuites.supported().toArray(String[]::new);
    }

    @Override
    public ServerSocket createServerSocket() throws IOException {
        return new ReseauSSLServerSocket(configuration, listeners.createServerSocket(), defaults);
    }

    @Override
    public ServerSocket createServerSocket(int port) throws IOException {
        return new ReseauSSLServerSocket(configuration, listeners.createServerSocket(port), defaults);
    }

    @Override
    public ServerSocket createServerSocket(int port, int backlog) throws IOException {
        return new ReseauSSLServerSocket(configuration, listeners.createServerSocket(port, backlog), defaults);
    }

    @Override
    public ServerSocket createServerSocket(int port, int backlog, InetAddress bindAddress) throws IOException {
        return new ReseauSSLServerSocket(configuration, listeners.createServerSocket(port, backlog, bindAddress), defaults);
    }
}
