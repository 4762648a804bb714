package io.reseau.dns;

import io.reseau.internal.ffi.NameInfo;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/**
 * The JVM's resolver when {@link ReseauResolverProvider} is on: forward lookups from a
 * {@link CachingHostResolver}, in the order the JDK asks for; reverse lookups with
 * {@code getnameinfo}, on a lookup thread when the caller is a virtual thread.
 */
final class JvmWideResolver implements InetAddressResolver {
    private static final int REVERSE_LOOKUP_THREADS = 2;

    private final CachingHostResolver resolver;
    private final LookupThreads reverseLookups = new LookupThreads(REVERSE_LOOKUP_THREADS);

    JvmWideResolver(CachingHostResolver resolver) {
        this.resolver = resolver;
    }

    @Override
    public Stream<InetAddress> lookupByName(String host, LookupPolicy policy) throws UnknownHostException {
        int characteristics = policy.characteristics();
        boolean ipv4 = (characteristics & LookupPolicy.IPV4) != 0;
        boolean ipv6 = (characteristics & LookupPolicy.IPV6) != 0;
        List<InetAddress> addresses = ipv4 && !ipv6 ? resolver.resolve(host, RecordType.A)
                : ipv6 && !ipv4 ? resolver.resolve(host, RecordType.AAAA)
                : resolver.resolve(host);
        Stream<InetAddress> answer = addresses.stream();
        if ((characteristics & LookupPolicy.IPV4_FIRST) != 0) {
            return answer.sorted(Comparator.comparingInt(address -> address instanceof Inet4Address ? 0 : 1));
        }
        if ((characteristics & LookupPolicy.IPV6_FIRST) != 0) {
            return answer.sorted(Comparator.comparingInt(address -> address instanceof Inet4Address ? 1 : 0));
        }
        return answer; // the resolver's own order
    }

    @Override
    public String lookupByAddress(byte[] addr) throws UnknownHostException {
        if (addr.length != 4 && addr.length != 16) {
            throw new IllegalArgumentException("an address has 4 or 16 bytes, not " + addr.length);
        }
        InetAddress address = InetAddress.getByAddress(addr);
        // getnameinfo blocks in native code: never on a virtual thread's carrier.
        return (Thread.currentThread().isVirtual()
                ? CompletableFuture.supplyAsync(() -> NameInfo.nameOf(address), reverseLookups::execute).join()
                : NameInfo.nameOf(address))
                .orElseThrow(() -> new UnknownHostException(address.getHostAddress() + ": no name"));
    }
}
