package io.reseau.dns;

import java.net.spi.InetAddressResolver;
import java.net.spi.InetAddressResolverProvider;

/**
 * Lets every {@link java.net.InetAddress} lookup of the JVM (the JDK's sockets, {@code HttpClient},
 * JDBC drivers, ...) go through {@link CachingHostResolver#getDefault()}, when the system property
 * {@value #PROPERTY} is {@code true} at the JVM's first lookup ({@code -Dreseau.dns.jvmWide=true}).
 * Otherwise it hands back the JDK's built-in resolver, so that Reseau's jar on the class or module
 * path changes nothing by itself. Reverse lookups use {@code getnameinfo}, as the JDK's do.
 *
 * <p>The JDK keeps its own cache in front of any resolver ({@code networkaddress.cache.ttl}, 30 s
 * by default): a name it has cached never reaches Reseau's until the JDK's entry expires.
 */
public final class ReseauResolverProvider extends InetAddressResolverProvider {
    /** The system property that switches Reseau's resolver on for the whole JVM. */
    public static final String PROPERTY = "reseau.dns.jvmWide";

    /** Found and created by the JDK through {@link java.util.ServiceLoader}. */
    public ReseauResolverProvider() {}

    @Override
    public InetAddressResolver get(Configuration configuration) {
        return Boolean.getBoolean(PROPERTY) ? new JvmWideResolver(CachingHostResolver.getDefault())
                : configuration.builtinResolver();
    }

    @Override
    public String name() {
        return "Reseau";
    }
}
