package io.reseau.tls;

import java.io.Serial;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;

/**
 * The "Reseau" JCA provider: {@code SSLContext} "TLS", "TLSv1.3" and "TLSv1.2", whose sockets
 * (over Reseau's sockets, or layered over any) and {@code SSLEngine}s run TLS through s2n on their
 * callers' threads.
 *
 * <pre>{@code
 * SSLContext context = SSLContext.getInstance("TLS", new ReseauProvider());
 * context.init(keyManagers, trustManagers, null);
 * SSLSocketFactory factory = context.getSocketFactory();
 * }</pre>
 *
 * The contexts live in {@code io.reseau.net.ssl} (the blocking sockets), named here by class so
 * that this package does not depend on the socket facade built on it. The provider makes them
 * itself, inside the module, so that package need not be exported for the JCA to reach them.
 */
public final class ReseauProvider extends Provider {
    @Serial
    private static final long serialVersionUID = 1L;
    private static final String CONTEXTS = "io.reseau.net.ssl.ReseauSSLContextSpi$";

    public ReseauProvider() {
        super("Reseau", "0.1", "Reseau: TLS through s2n-tls over Reseau's sockets (SSLContext TLS, TLSv1.3, TLSv1.2)");
        putService(new ContextService(this, "TLS", "Tls"));
        putService(new ContextService(this, "TLSv1.3", "Tls13"));
        putService(new ContextService(this, "TLSv1.2", "Tls12"));
    }

    /** An {@code SSLContext} service whose implementation this module instantiates. */
    private static final class ContextService extends Service {
        ContextService(Provider provider, String algorithm, String context) {
            super(provider, "SSLContext", algorithm, CONTEXTS + context, null, null);
        }

        @Override
        public Object newInstance(Object constructorParameter) throws NoSuchAlgorithmException {
            try {
                return Class.forName(getClassName()).getConstructor().newInstance();
            } catch (ReflectiveOperationException e) {
                throw new NoSuchAlgorithmException("cannot make " + getClassName(), e);
            }
        }
    }
}
