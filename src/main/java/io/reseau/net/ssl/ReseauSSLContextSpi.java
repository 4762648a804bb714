package io.reseau.net.ssl;

import io.reseau.tls.CipherSuites;
import java.security.KeyManagementException;
import java.security.SecureRandom;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509KeyManager;
import javax.net.ssl.X509TrustManager;

/**
 * The {@code SSLContext} of {@code io.reseau.tls.ReseauProvider}, one subclass per protocol name
 * (the provider instantiates them by name, hence public). Initialised the JSSE way: the first
 * {@link X509KeyManager} gives the certificate and key, the first {@link X509TrustManager} judges
 * peers; null trust managers mean s2n's verification against the system's trust store. The random
 * source is s2n's own (AWS-LC's), so a given {@link SecureRandom} is not used.
 */
public abstract class ReseauSSLContextSpi extends SSLContextSpi {
    /** What servers accept whatever the context's name: TLS 1.3 and 1.2, as JSSE's. */
    private static final List<String> SERVER_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");
    private final List<String> clientProtocols;
    // As JSSE's: made with the SSLContext, kept across its initialisations.
    private final ClientSessionCache clientSessions = new ClientSessionCache();
    private final ServerSessionContext serverSessions = new ServerSessionContext();
    private final TicketKeyRing ticketKeys = new TicketKeyRing(serverSessions);
    private volatile SslConfiguration configuration;

    ReseauSSLContextSpi(List<String> clientProtocols) {
        this.clientProtocols = clientProtocols;
    }

    /** "TLS": TLS 1.3 and 1.2 enabled. */
    public static final class Tls extends ReseauSSLContextSpi {
        public Tls() {
            super(List.of("TLSv1.3", "TLSv1.2"));
        }
    }

    /** "TLSv1.3": TLS 1.3 and 1.2 enabled, as JSSE's. */
    public static final class Tls13 extends ReseauSSLContextSpi {
        public Tls13() {
            super(List.of("TLSv1.3", "TLSv1.2"));
        }
    }

    /** "TLSv1.2": clients offer TLS 1.2 only, as JSSE's; servers accept 1.3 too. */
    public static final class Tls12 extends ReseauSSLContextSpi {
        public Tls12() {
            super(List.of("TLSv1.2"));
        }
    }

    @Override
    protected void engineInit(KeyManager[] keyManagers, TrustManager[] trustManagers, SecureRandom random)
            throws KeyManagementException {
        configuration = new SslConfiguration(first(keyManagers, X509KeyManager.class), first(trustManagers, X509TrustManager.class),
                clientSessions, serverSessions, ticketKeys);
    }

    private static <T> T first(Object[] managers, Class<T> type) {
        if (managers == null) {
            return null;
        }
        for (Object manager : managers) {
            if (type.isInstance(manager)) {
                return type.cast(manager);
            }
        }
        return null;
    }

    private SslConfiguration configuration() {
        SslConfiguration current = configuration;
        if (current == null) {
            throw new IllegalStateException("SSLContext is not initialized");
        }
        return current;
    }

    @Override
    protected SSLSocketFactory engineGetSocketFactory() {
        return new ReseauSSLSocketFactory(configuration(), defaults(clientProtocols), defaults(SERVER_PROTOCOLS));
    }

    @Override
    protected SSLServerSocketFactory engineGetServerSocketFactory() {
        return new ReseauSSLServerSocketFactory(configuration(), defaults(SERVER_PROTOCOLS));
    }

    @Override
    protected SSLEngine engineCreateSSLEngine() {
        return engineCreateSSLEngine(null, -1);
    }

    @Override
    protected SSLEngine engineCreateSSLEngine(String host, int port) {
        return new ReseauSSLEngine(configuration(), host, port, defaults(clientProtocols), defaults(SERVER_PROTOCOLS));
    }

    @Override
    protected SSLSessionContext engineGetServerSessionContext() {
        return serverSessions;
    }

    @Override
    protected SSLSessionContext engineGetClientSessionContext() {
        return clientSessions;
    }

    @Override
    protected SSLParameters engineGetDefaultSSLParameters() {
        return defaults(clientProtocols);
    }

    @Override
    protected SSLParameters engineGetSupportedSSLParameters() {
        return new SSLParameters(CipherSuites.supported().toArray(String[]::new),
                SslConfiguration.SUPPORTED_PROTOCOLS.toArray(String[]::new));
    }

    private static SSLParameters defaults(List<String> protocols) {
        return new SSLParameters(CipherSuites.supported().toArray(String[]::new), protocols.toArray(String[]::new));
    }
}
