package io.reseau.cli.bench;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
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
        if (Stacks.class.getModule().isNamed()) {
            // As the named module io.reseau, which does not export this package, no peer can
            // implement StackProvider: peers run when Reseau is on the class path, as ./reseau runs it.
            return stacks;
        }
        Iterator<StackProvider> peers = ServiceLoader.load(StackProvider.class).iterator();
        for (int index = 1; ; index++) {
            try {
                if (!peers.hasNext()) {
                    return stacks;
                }
                StackProvider peer = peers.next();
                stacks.putIfAbsent(peer.name(), peer);
            } catch (ServiceConfigurationError e) {
                // A peer whose provider cannot load is reported as a stack that cannot run; the
                // others still can.
                String reason = e.getCause() == null ? e.getMessage() : e.getMessage() + ": " + e.getCause();
                stacks.put("unloadable-peer-" + index, new Listed("unloadable-peer-" + index, reason, null));
            }
        }
    }

    /** The provider named {@code name}. */
    public static StackProvider named(String name) {
        StackProvider provider = all().get(name);
        if (provider == null) {
            throw new IllegalArgumentException("unknown stack '" + name + "'; known: " + String.join(", ", all().keySet()));
        }
        return provider;
    }

    /** The names of the stacks that can run here. */
    public static List<String> available() {
        List<String> names = new ArrayList<>();
        all().forEach((name, provider) -> {
            if (provider.unavailableReason() == null) {
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
