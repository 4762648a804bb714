package io.reseau.cli.bench;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/** The stacks the benchmark knows: the JDK and Reseau always, peers such as Netty when on the class path. */
public final class Stacks {
    public static final String JDK = "jdk";
    public static final String RESEAU = "reseau";

    private Stacks() {}

    /** Every known stack by name, in report order: jdk, reseau, then peers as found. */
    public static Map<String, StackProvider> all() {
        Map<String, StackProvider> stacks = new LinkedHashMap<>();
        stacks.put(JDK, new Listed(JDK, null, BlockingStack::jdk));
        stacks.put(RESEAU, new Listed(RESEAU, null, BlockingStack::reseau));
        return withPeers(stacks, StackProvider.class, StackProvider::name, (name, reason) -> new Listed(name, reason, null));
    }

    /** The provider named {@code name}. */
    public static StackProvider named(String name) {
        return named(all(), name);
    }

    /** The names of the stacks that can run here. */
    public static List<String> available() {
        return available(all(), StackProvider::unavailableReason);
    }

    /**
     * {@code builtIn}, then the peers {@link ServiceLoader} finds for {@code type}; a peer whose
     * provider cannot load is listed (by {@code unloadable}) as a stack that cannot run, so the
     * others still can. For every kind of stack (plain, TLS).
     */
    static <P> Map<String, P> withPeers(Map<String, P> builtIn, Class<P> type, Function<P, String> nameOf,
            BiFunction<String, String, P> unloadable) {
        if (Stacks.class.getModule().isNamed()) {
            // Patched into the named module io.reseau (as the tests run it), which neither exports
            // this package nor declares it uses the providers, no peer can be loaded: peers run when
            // the benchmark is on the class path, as ./reseau runs it.
            return builtIn;
        }
        Iterator<P> peers = ServiceLoader.load(type).iterator();
        for (int index = 1; ; index++) {
            try {
                if (!peers.hasNext()) {
                    return builtIn;
                }
                P peer = peers.next();
                builtIn.putIfAbsent(nameOf.apply(peer), peer);
            } catch (ServiceConfigurationError e) {
                String reason = e.getCause() == null ? e.getMessage() : e.getMessage() + ": " + e.getCause();
                String name = "unloadable-" + type.getSimpleName() + "-" + index;
                builtIn.put(name, unloadable.apply(name, reason));
            }
        }
    }

    static <P> P named(Map<String, P> known, String name) {
        P provider = known.get(name);
        if (provider == null) {
            throw new IllegalArgumentException("unknown stack '" + name + "'; known: " + String.join(", ", known.keySet()));
        }
        return provider;
    }

    static <P> List<String> available(Map<String, P> known, Function<P, String> unavailableReason) {
        List<String> names = new ArrayList<>();
        known.forEach((name, provider) -> {
            if (unavailableReason.apply(provider) == null) {
                names.add(name);
            }
        });
        return names;
    }

    /** A provider given by its parts; its accessors are StackProvider's methods. */
    private record Listed(String name, String unavailableReason, Supplier<Stack> factory) implements StackProvider {
        @Override
        public Stack create() {
            if (unavailableReason != null) {
                throw new IllegalStateException(name + " cannot run here: " + unavailableReason);
            }
            return factory.get();
        }
    }
}
