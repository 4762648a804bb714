package io.reseau.testing;

import io.reseau.dns.CachingHostResolver;
import io.reseau.dns.ResolverStatistics;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A child JVM's main (for the JVM-wide resolver's test): resolves through {@link InetAddress}
 * as any application does, forward and reverse, from a platform and a virtual thread, and prints
 * what it got and what Reseau's default resolver counted. Outside Reseau's packages, so that it
 * also runs with Reseau as a named module.
 */
public final class InetAddressProbe {
    private InetAddressProbe() {}

    public static void main(String[] args) throws Exception {
        System.out.println("addresses " + Arrays.stream(InetAddress.getAllByName("localhost")).map(InetAddress::getHostAddress)
                .sorted().toList());
        try {
            InetAddress.getAllByName("no-such-host.invalid");
            System.out.println("unknown resolved");
        } catch (UnknownHostException e) {
            System.out.println("unknown " + e.getClass().getSimpleName());
        }
        System.out.println("reverse " + InetAddress.getByAddress(new byte[] {127, 0, 0, 1}).getCanonicalHostName());
        AtomicReference<String> fromVirtual = new AtomicReference<>();
        Thread.ofVirtual().start(() -> {
            try {
                fromVirtual.set(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}).getCanonicalHostName());
            } catch (UnknownHostException e) {
                fromVirtual.set(e.toString());
            }
        }).join();
        System.out.println("reverse-virtual " + fromVirtual.get());
        ResolverStatistics statistics = CachingHostResolver.getDefault().statistics();
        System.out.println("statistics lookups=" + statistics.lookups() + " misses=" + statistics.misses());
    }
}
