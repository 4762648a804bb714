package io.reseau.tls;

import java.io.Serial;
import java.security.Provider;

/**
 * The "Reseau" JCA provider: {@code SSLContext} "TLS", "TLSv1.3" and "TLSv1.2", whose sockets run
 * TLS through s2n on Reseau's event loops.
 *
 * <pre>{@code
 * SSLContext context = SSLContext.getInstance("TLS", new ReseauProvider());
 * context.init(keyManagers, trustManagers, null);
 * SSLSocketFactory factory = context.getSocketFactory();
 * }</pre>
 *
 * The contexts live in {@code io.reseau.net.ssl} (the blocking sockets), named here by class so
 * that this package does not depend on the socket facade built on it.
 */
public final class ReseauProvider extends Provider {
    @Serial
    private static final long serialVersionUID = 1L;
    private static final String CONTEXTS = "io.reseau.net.ssl.ReseauSSLContextSpi$";

    public ReseauProvider() {
        super("Reseau", "0.1", "Reseau: TLS through s2n-tls on Reseau's event loops (SSLContext TLS, TLSv1.3, TLSv1.2)");
        put("SSLContext.TLS", CONTEXTS + "Tls");
        put("SSLContext.TLSv1.3", CONTEXTS + "Tls13");
        put("SSLContext.TLSv1.2", CONTEXTS + "Tls12");
    }
}
