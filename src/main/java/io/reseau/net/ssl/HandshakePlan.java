package io.reseau.net.ssl;

import io.reseau.tls.ClientAuth;
import io.reseau.tls.TlsConnectionOptions;
import io.reseau.tls.TlsContext;
import io.reseau.tls.TlsNegotiation;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSessionContext;

/**
 * What one handshake of a socket or an engine starts from, as its SSLContext's configuration and
 * its {@link SSLParameters} decide: the s2n connection options (context for its versions and
 * client authentication, SNI, ALPN, the Java peer check, a client's session to resume), the server
 * names a client sends, the chain this side presents; and how its session is made once it ends.
 *
 * @param resumption a client's part in resumption; null for a server, or a client that resumes nothing
 * @param sessions where the session is kept: the SSLContext's client or server session context
 */
record HandshakePlan(TlsConnectionOptions options, List<SNIServerName> serverNames, List<X509Certificate> localChain,
        ClientResumption resumption, SSLSessionContext sessions) {

    /**
     * @param peerHost the host the connection was made for (JSSE derives SNI and, without a trust
     *     manager, s2n checks the certificate's names against it; a client caches sessions by it
     *     and {@code peerPort}); may be null
     * @param javaCheck asks the configuration's trust manager, if it decides ({@link SslConfiguration#verifiesInJava()})
     */
    static HandshakePlan of(SslConfiguration configuration, boolean client, SSLParameters parameters, String peerHost,
            int peerPort, JavaPeerCheck javaCheck) throws SSLException {
        TlsContext context = configuration.context(client, Set.of(parameters.getProtocols()), clientAuth(parameters));
        List<SNIServerName> serverNames = client ? requestedServerNames(parameters, peerHost) : List.of();
        TlsConnectionOptions options = TlsConnectionOptions.of(context);
        String sniName = hostName(serverNames);
        if (client && configuration.trustManager() == null) {
            // s2n checks the host itself then, against the name it is given.
            String name = sniName != null ? sniName : peerHost;
            if (name != null) {
                options = options.withServerName(name);
            }
        } else if (client && sniName != null) {
            options = options.withServerName(sniName);
        }
        if (configuration.verifiesInJava()) {
            options = options.withPeerVerifier(javaCheck);
        }
        if (parameters.getApplicationProtocols().length > 0) {
            options = options.withAlpn(List.of(parameters.getApplicationProtocols()));
        }
        ClientResumption resumption = client
                ? ClientResumption.of(configuration.resumableSessions(), peerHost, peerPort, parameters, serverNames) : null;
        if (resumption != null) {
            options = resumption.applyTo(options);
        }
        return new HandshakePlan(options, serverNames, configuration.localChain(client), resumption,
                configuration.sessionContext(client));
    }

    /**
     * The session of the handshake that ended with {@code outcome}: the one a client resumed, or a
     * new one (a server's always: it keeps none).
     */
    ReseauSSLSession session(TlsNegotiation outcome, List<X509Certificate> presented, String peerHost, int peerPort,
            List<SNIServerName> names) {
        Supplier<ReseauSSLSession> full = () -> ReseauSSLSession.negotiated(outcome, presented, peerHost, peerPort, names, sessions);
        return resumption == null ? full.get() : resumption.session(outcome, full);
    }

    static ClientAuth clientAuth(SSLParameters parameters) {
        if (parameters.getNeedClientAuth()) {
            return ClientAuth.REQUIRED;
        }
        return parameters.getWantClientAuth() ? ClientAuth.OPTIONAL : ClientAuth.NONE;
    }

    /** The names the parameters ask for, or the peer's host name as JSSE derives it. */
    private static List<SNIServerName> requestedServerNames(SSLParameters parameters, String peerHost) {
        if (parameters.getServerNames() != null) {
            return parameters.getServerNames();
        }
        SNIHostName derived = SniNames.fromHost(peerHost);
        return derived == null ? List.of() : List.of(derived);
    }

    private static String hostName(List<SNIServerName> names) {
        for (SNIServerName name : names) {
            if (name instanceof SNIHostName host) {
                return host.getAsciiName();
            }
        }
        return null;
    }
}
