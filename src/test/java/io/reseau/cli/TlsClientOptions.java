package io.reseau.cli;

import io.reseau.tls.KeyExchangeGroupSession;
import io.reseau.tls.ReseauProvider;
import java.io.IOException;
import java.io.PrintStream;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.regex.Pattern;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;

/**
 * {@code connect --tls}: a client socket of the Reseau provider. It trusts the system's trust
 * store and checks the server's name (the {@code HTTPS} endpoint identification), or with
 * {@code insecure} any certificate.
 *
 * @param alpn the protocols offered, in order of preference; empty for no ALPN
 * @param serverName the SNI name, also the one the certificate must hold; null for the host, as
 *     JSSE derives it (none for an IP address)
 */
record TlsClientOptions(List<String> alpn, String serverName, boolean insecure) {
    private static final Pattern IPV4_LITERAL = Pattern.compile("[0-9]+(\\.[0-9]+){3}");

    TlsClientOptions {
        alpn = List.copyOf(alpn);
    }

    /**
     * {@code --servername}'s value, refused unless SNI may carry it: a host name, not an IP address
     * (RFC 6066, section 3; SNIHostName itself refuses IPv6 literals, not IPv4 ones).
     */
    static String serverName(String name) throws UsageException {
        try {
            if (!IPV4_LITERAL.matcher(name).matches()) {
                return new SNIHostName(name).getAsciiName();
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new UsageException("--servername takes a host name, not '" + name + "'");
    }

    /** A TLS socket connected to {@code target}, its handshake done. */
    SSLSocket connect(HostPort target) throws IOException, GeneralSecurityException {
        SSLContext context = SSLContext.getInstance("TLS", new ReseauProvider());
        context.init(null, insecure ? new TrustManager[] {new TrustEveryCertificate()} : null, null);
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(target.host(), target.port());
        try {
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setApplicationProtocols(alpn.toArray(String[]::new));
            if (serverName != null) {
                parameters.setServerNames(List.of(new SNIHostName(serverName)));
            }
            if (!insecure) {
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
            }
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            return socket;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** What the handshake agreed, a line each, as {@code openssl s_client} reports it. */
    static void printNegotiated(SSLSocket socket, PrintStream to) {
        SSLSession session = socket.getSession();
        String group = session instanceof KeyExchangeGroupSession reported ? reported.keyExchangeGroup() : null;
        String protocol = socket.getApplicationProtocol();
        to.println("protocol: " + session.getProtocol());
        to.println("cipher suite: " + session.getCipherSuite());
        to.println("key exchange group: " + (group == null ? "none" : group));
        to.println("alpn: " + (protocol == null || protocol.isEmpty() ? "none" : protocol));
    }
}
