package io.reseau.net.ssl;

import io.reseau.tls.TlsConnectionOptions;
import io.reseau.tls.TlsNegotiation;
import io.reseau.tls.TlsSessionTicket;
import io.reseau.tls.TlsSessionTicketListener;
import java.util.List;
import java.util.function.Supplier;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLParameters;

/**
 * One client handshake's part in resumption: the session it offers from the
 * {@link ClientSessionCache} (if any), the session it ends with (that one if the server resumed
 * it), and the tickets it receives, kept in the cache for the connections after it. A TLS 1.2
 * ticket arrives before the handshake ends, and waits for the session it resumes.
 */
final class ClientResumption implements TlsSessionTicketListener {
    private static final String TLS13 = "TLSv1.3";

    private final ClientSessionCache cache;
    private final String identification;
    private final ClientSessionCache.Entry offered; // null: a full handshake
    private ReseauSSLSession session; // guarded by this
    private TlsSessionTicket early; // guarded by this

    private ClientResumption(ClientSessionCache cache, String identification, ClientSessionCache.Entry offered) {
        this.cache = cache;
        this.identification = identification;
        this.offered = offered;
    }

    /**
     * The resumption of a client connecting to {@code peerHost}:{@code peerPort}; null when it
     * takes no part: no cache (tickets off), or no host to cache by (JSSE's rule).
     */
    static ClientResumption of(ClientSessionCache cache, String peerHost, int peerPort, SSLParameters parameters,
            List<SNIServerName> serverNames) {
        if (cache == null || peerHost == null || peerPort <= 0) {
            return null;
        }
        String identification = parameters.getEndpointIdentificationAlgorithm();
        ClientSessionCache.Entry offered = cache.take(ClientSessionCache.peer(peerHost, peerPort),
                List.of(parameters.getProtocols()), serverNames, identification);
        return new ClientResumption(cache, identification, offered);
    }

    /** {@code options} offering the cached ticket, if any, and listening for new ones. */
    TlsConnectionOptions applyTo(TlsConnectionOptions options) {
        TlsConnectionOptions listening = options.withOnSessionTicket(this);
        return offered == null ? listening : listening.withSessionTicket(offered.ticket());
    }

    /**
     * The connection's session: the one offered, if the server resumed it; else {@code full}'s.
     * A TLS 1.3 ticket offered, used once, is destroyed.
     */
    ReseauSSLSession session(TlsNegotiation outcome, Supplier<ReseauSSLSession> full) {
        ReseauSSLSession made;
        if (outcome.resumed() && offered != null) {
            made = offered.session();
            made.touch();
        } else {
            made = full.get();
            if (offered != null) {
                cache.remove(offered); // declined: the server would decline it again
            }
        }
        if (offered != null && TLS13.equals(offered.session().getProtocol())) {
            offered.ticket().destroy();
        }
        TlsSessionTicket waiting;
        synchronized (this) {
            session = made;
            waiting = early;
            early = null;
        }
        if (waiting != null) {
            keep(made, waiting);
        }
        return made;
    }

    @Override
    public void onSessionTicket(TlsSessionTicket ticket) {
        ReseauSSLSession current;
        synchronized (this) {
            current = session;
            if (current == null) {
                early = ticket;
                return;
            }
        }
        keep(current, ticket);
    }

    /** A TLS 1.3 ticket resumes a successor of the session (JSSE's); a TLS 1.2 one, the session itself. */
    private void keep(ReseauSSLSession current, TlsSessionTicket ticket) {
        if (current.resumable()) {
            cache.put(new ClientSessionCache.Entry(TLS13.equals(current.getProtocol()) ? current.successor() : current, ticket,
                    identification));
        }
    }
}
