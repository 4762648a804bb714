package io.reseau.net.ssl;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * A JDK server socket on loopback whose accepted connections come back as a context's TLS layered
 * over them, in server mode: {@code SSLSocketFactory.createSocket(socket, consumed, true)}, as a
 * server that looks at a connection before TLS does. Its parameters (client authentication,
 * protocols, ALPN) go to each socket it accepts; the rest are the layered socket's defaults.
 */
final class LayeringServerSocket extends SSLServerSocket {
    private final SSLContext context;
    private final SSLSocketFactory layers;
    private volatile SSLParameters parameters = new SSLParameters(); // null suites and protocols: the socket's own

    LayeringServerSocket(SSLContext context, int backlog) throws IOException {
        super(0, backlog, InetAddress.getLoopbackAddress());
        this.context = context;
        this.layers = context.getSocketFactory();
    }

    @Override
    public Socket accept() throws IOException {
        Socket plain = super.accept();
        SSLSocket layered = (SSLSocket) layers.createSocket(plain, null, true);
        layered.setSSLParameters(parameters);
        return layered;
    }

    @Override
    public SSLParameters getSSLParameters() {
        return copy();
    }

    @Override
    public void setSSLParameters(SSLParameters changes) {
        parameters = changes;
    }

    private SSLParameters copy() {
        SSLParameters current = parameters;
        SSLParameters copy = new SSLParameters(current.getCipherSuites(), current.getProtocols());
        copy.setNeedClientAuth(current.getNeedClientAuth());
        if (current.getWantClientAuth()) {
            copy.setWantClientAuth(true);
        }
        copy.setApplicationProtocols(current.getApplicationProtocols());
        return copy;
    }

    @Override
    public String[] getEnabledCipherSuites() {
        return parameters.getCipherSuites();
    }

    @Override
    public void setEnabledCipherSuites(String[] suites) {
        SSLParameters changed = copy();
        changed.setCipherSuites(suites);
        parameters = changed;
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return layers.getSupportedCipherSuites();
    }

    @Override
    public String[] getSupportedProtocols() {
        return context.getSupportedSSLParameters().getProtocols();
    }

    @Override
    public String[] getEnabledProtocols() {
        return parameters.getProtocols();
    }

    @Override
    public void setEnabledProtocols(String[] protocols) {
        SSLParameters changed = copy();
        changed.setProtocols(protocols);
        parameters = changed;
    }

    @Override
    public void setNeedClientAuth(boolean need) {
        SSLParameters changed = copy();
        changed.setNeedClientAuth(need);
        parameters = changed;
    }

    @Override
    public boolean getNeedClientAuth() {
        return parameters.getNeedClientAuth();
    }

    @Override
    public void setWantClientAuth(boolean want) {
        SSLParameters changed = copy();
        changed.setWantClientAuth(want);
        parameters = changed;
    }

    @Override
    public boolean getWantClientAuth() {
        return parameters.getWantClientAuth();
    }

    @Override
    public void setUseClientMode(boolean mode) {
        throw new UnsupportedOperationException("a layering server's sockets are servers");
    }

    @Override
    public boolean getUseClientMode() {
        return false;
    }

    @Override
    public void setEnableSessionCreation(boolean enabled) {
        throw new UnsupportedOperationException("not needed by the tests");
    }

    @Override
    public boolean getEnableSessionCreation() {
        return true;
    }
}
