package io.reseau.tls;

import java.util.List;
import java.util.Objects;

/**
 * A server connection's choice, made when the client's hello arrives and before the server
 * answers it, of what to answer with: another context (another certificate) for the name the
 * client asked for, and the ALPN protocol. Runs inside the handshake step that reads the hello,
 * on its thread (see {@link TlsConnection}).
 */
@FunctionalInterface
public interface ClientHelloChoice {
    /**
     * @param serverName the host name the client sent as SNI, or null
     * @param offeredProtocols the ALPN protocols the client offers, in its order; empty if none
     */
    ServerAnswer choose(String serverName, List<String> offeredProtocols);

    /**
     * What a server answers a client's hello with.
     *
     * @param context a server context to answer with instead of the connection's (same versions
     *     and client authentication, another certificate), or null to keep the connection's
     * @param alpn the protocols the server may choose from, in its order, instead of the
     *     connection's (empty: none), or null to keep the connection's
     * @param refusal why the server refuses the client, failing the handshake; null to answer
     */
    record ServerAnswer(TlsContext context, List<String> alpn, String refusal) {
        public ServerAnswer {
            alpn = alpn == null ? null : List.copyOf(alpn);
            if (context != null && context.options().mode() != TlsMode.SERVER) {
                throw new IllegalArgumentException("a server answers with a server context: " + context);
            }
        }

        /** Answer as the connection was set up. */
        public static ServerAnswer keep() {
            return new ServerAnswer(null, null, null);
        }

        public static ServerAnswer refuse(String reason) {
            return new ServerAnswer(null, null, Objects.requireNonNull(reason, "reason"));
        }
    }
}
