package io.reseau.bench.conscrypt;

import io.reseau.cli.bench.BlockingTlsStack;
import io.reseau.cli.bench.Target;
import io.reseau.cli.bench.TlsStack;
import io.reseau.cli.bench.TlsStackProvider;
import org.conscrypt.Conscrypt;

/**
 * Scenario D's BoringSSL peer behind the JSSE API: Conscrypt's provider under the same
 * {@code javax.net.ssl} code as {@code jdk} and {@code reseau} ({@link BlockingTlsStack}). On
 * OpenJDK its SSLSockets are its engine over the JDK's sockets (Conscrypt's default, property
 * {@code org.conscrypt.useEngineSocketByDefault}), so they park virtual threads as the JDK's do.
 */
public final class ConscryptStackProvider implements TlsStackProvider {
    static final String NAME = Target.CONSCRYPT;
    private static final String NO_RESUMPTION = "Conscrypt 2.5.2 resumes TLS 1.3 only with session tickets turned on"
            + " per socket at both ends (Conscrypt.setUseSessionTickets) and a host name given at connect";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String unavailableReason() {
        try {
            Conscrypt.checkAvailability();
            return null;
        } catch (UnsatisfiedLinkError e) {
            return "conscrypt: " + e.getMessage();
        }
    }

    @Override
    public TlsStack create() throws Exception {
        return BlockingTlsStack.of(NAME, Conscrypt.newProvider(), NO_RESUMPTION);
    }
}
