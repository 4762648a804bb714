package io.reseau.dns;

import io.reseau.common.IoError;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A resolve callback a caller blocks on: a virtual thread parks (and its carrier is free), a
 * platform thread waits. Waits through interrupts, as {@link InetAddress#getAllByName} does,
 * and leaves the interrupt status set.
 */
final class BlockingAnswer implements ResolveCallback {
    private record Outcome(List<HostAddress> addresses, IoError error) {}

    private final CompletableFuture<Outcome> outcome = new CompletableFuture<>();

    /** {@code host}'s addresses of {@code type} (any if null) from {@code resolver}, in its order. */
    static List<InetAddress> resolve(HostResolver resolver, String host, RecordType type) throws UnknownHostException {
        BlockingAnswer answer = new BlockingAnswer();
        resolver.resolve(host, answer);
        return answer.await(host, type);
    }

    @Override
    public void onResolved(String host, List<HostAddress> addresses, IoError error) {
        outcome.complete(new Outcome(addresses, error));
    }

    private List<InetAddress> await(String host, RecordType type) throws UnknownHostException {
        Outcome result = outcome.join();
        if (result.error() != null) {
            throw new UnknownHostException(host + ": " + result.error().description() + " (" + result.error().awsName() + ")");
        }
        List<InetAddress> addresses = result.addresses().stream()
                .filter(address -> type == null || address.recordType() == type)
                .map(HostAddress::address).toList();
        if (addresses.isEmpty()) {
            throw noAddress(host, type);
        }
        return addresses;
    }

    /** A name that resolved, but to no address of {@code type} (any, if null). */
    static UnknownHostException noAddress(String host, RecordType type) {
        return new UnknownHostException(host + ": no " + (type == null ? "" : type + " ") + "address");
    }
}
