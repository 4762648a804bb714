package io.reseau.cli.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The TLS stacks scenario D knows: the JDK's JSSE and Reseau's provider always, as SSLSockets and
 * as SSLEngines (Reseau's also layered over the JDK's sockets), peers such as Netty's OpenSSL
 * engine when on the class path.
 */
public final class TlsStacks {
    /** JSSE's SSLEngine, driven over the JDK's sockets ({@link EngineSockets}). */
    public static final String JDK_ENGINE = "jdk-engine";
    /** Reseau's SSLEngine, driven by the same code. */
    public static final String RESEAU_ENGINE = "reseau-engine";
    /** Reseau's SSLSockets layered over the JDK's sockets ({@link LayeredSockets}): TLS on the caller's thread. */
    public static final String RESEAU_STREAM = "reseau-stream";

    private TlsStacks() {}

    /** Every known TLS stack by name, in report order: jdk, reseau, then peers as found. */
    public static Map<String, TlsStackProvider> all() {
        Map<String, TlsStackProvider> stacks = new LinkedHashMap<>();
        stacks.put(Stacks.JDK, new Listed(Stacks.JDK, null, BlockingTlsStack::jdk));
        stacks.put(Stacks.RESEAU, new Listed(Stacks.RESEAU, null, BlockingTlsStack::reseau));
        stacks.put(JDK_ENGINE, new Listed(JDK_ENGINE, null, BlockingTlsStack::jdkEngine));
        stacks.put(RESEAU_ENGINE, new Listed(RESEAU_ENGINE, null, BlockingTlsStack::reseauEngine));
        stacks.put(RESEAU_STREAM, new Listed(RESEAU_STREAM, null, BlockingTlsStack::reseauStream));
        return Stacks.withPeers(stacks, TlsStackProvider.class, TlsStackProvider::name, (name, reason) -> new Listed(name, reason, null));
    }

    /** The TLS provider named {@code name}. */
    public static TlsStackProvider named(String name) {
        return Stacks.named(all(), name);
    }

    /** The names of the TLS stacks that can run here. */
    public static List<String> available() {
        return Stacks.available(all(), TlsStackProvider::unavailableReason);
    }

    /** A provider given by its parts; its accessors are TlsStackProvider's methods. */
    private record Listed(String name, String unavailableReason, Callable<TlsStack> factory) implements TlsStackProvider {
        @Override
        public TlsStack create() throws Exception {
            if (unavailableReason != null) {
                throw new IllegalStateException(name + " cannot run here: " + unavailableReason);
            }
            return factory.call();
        }
    }
}
