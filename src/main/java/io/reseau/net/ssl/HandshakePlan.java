package io.reseau.net.ssl;

import io.reseau.tls.ClientAuth;
import io.reseau.tls.TlsConnectionOptions;
import io.reseau.tls.TlsContext;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/**
 * What one handshake of a socket or an engine starts from, as its SSLContext's configuration and
 * its {@link SSLParameters} decide: the s2n connection options (context for its versions and
 * client authentication, SNI, ALPN, the Java peer check), the server names a client sends, and the
 * chain this side presents.
 */
record HandshakePlan(TlsConnectionOptions options, List<SNIServerName> serverNames, List<X509Certificate> localChain) {

    /**
     * @param peerHost the host the connection was made for (JSSE derives SNI and, without a trust
     *     manager, s2n checks the certificate's names against it); may be null
     * @param javaCheck asks the configuration's trust manager, if it decides ({@link SslConfiguration#verifiesInJava()})
     */
    static HandshakePlan of(SslConfiguration configuration, boolean client, SSLParameters parameters, String peerHost,
            JavaPeerCheck javaCheck) throws SSLException {
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
        return new HandshakePlan(options, serverNames, configuration.localChain(client));
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
