package io.reseau.net.ssl;

import io.reseau.tls.TlsContext;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLException;

/**
 * The s2n contexts of clients, one per {@link Recipe} in the process, shared by every
 * {@code SSLContext} that would build that same one. A client's s2n config holds only what it is
 * built from (its sessions, tickets and server names go to each connection), so applications that
 * make an SSLContext per connection, as many do, pay for a config and its trust roots once rather
 * than at every connection. An entry lives while some SSLContext's configuration holds it
 * ({@link Entry#leave()} when that configuration is dropped).
 *
 * <p>Servers keep their own: their configs hold the SSLContext's ticket keys.
 */
final class SharedClientContexts {
    private static final ConcurrentHashMap<Recipe, Entry> ENTRIES = new ConcurrentHashMap<>();

    private SharedClientContexts() {}

    /**
     * What a client's s2n config is built from, compared by content: two SSLContexts given equal
     * key material and trust by different manager objects share one.
     *
     * @param chain the certificate chain the client presents when asked, empty for none
     * @param key its private key, null for none
     * @param trust the trust manager's accepted issuers (empty: it trusts anything, s2n checks
     *     nothing); null without a trust manager (the system's trust store)
     * @param tickets whether the client asks for session tickets
     * @param keyLogFile the key log file named when the config is built, or null
     */
    record Recipe(Set<String> protocols, List<X509Certificate> chain, PrivateKey key, List<X509Certificate> trust,
            boolean tickets, String keyLogFile) {}

    /** Builds the context of a recipe that has none yet. */
    @FunctionalInterface
    interface Builder {
        TlsContext build() throws SSLException;
    }

    /** Joins the entry of {@code recipe}, building its context with {@code builder} if it has none. */
    static Entry join(Recipe recipe, Builder builder) throws SSLException {
        while (true) {
            Entry entry = ENTRIES.computeIfAbsent(recipe, Entry::new);
            if (entry.join(builder)) {
                return entry;
            }
            // Its last user left between the lookup and the join: it is gone from the map by now.
        }
    }

    /** One shared context and the configurations that hold it. */
    static final class Entry {
        private final Recipe recipe;
        private TlsContext context; // guarded by this; null until built
        private int users; // guarded by this
        private boolean gone; // guarded by this: closed and out of the map

        private Entry(Recipe recipe) {
            this.recipe = recipe;
        }

        /** Counts one more user, building the context first if needed; false if the entry is gone. */
        private synchronized boolean join(Builder builder) throws SSLException {
            if (gone) {
                return false;
            }
            if (context == null) {
                try {
                    context = builder.build();
                } catch (SSLException | RuntimeException e) {
                    if (users == 0) {
                        gone = true;
                        ENTRIES.remove(recipe, this);
                    }
                    throw e;
                }
            }
            users++;
            return true;
        }

        synchronized TlsContext context() {
            return context;
        }

        /** A user is done: the last one closes the context (its connections keep it until they end). */
        synchronized void leave() {
            if (--users == 0) {
                gone = true;
                ENTRIES.remove(recipe, this);
                context.close();
            }
        }
    }
}
