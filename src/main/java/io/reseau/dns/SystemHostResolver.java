package io.reseau.dns;

import io.reseau.common.IoError;
import io.reseau.internal.ffi.AddressInfo;
import io.reseau.socket.IpAddresses;
import java.net.InetAddress;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Resolves with the system's {@code getaddrinfo} (aws-c-io's default resolve function), on a few
 * platform threads of its own: a lookup blocks in native code, which must never happen on an
 * event loop or a virtual thread. No caching. Address literals are answered at once, without a
 * lookup.
 */
public final class SystemHostResolver implements HostResolver {
    /** Lookups that may run at once; more wait in line. */
    public static final int DEFAULT_THREADS = 4;
    private static final AtomicInteger THREAD_NUMBERS = new AtomicInteger();

    private final ThreadPoolExecutor lookups;

    public SystemHostResolver() {
        this(DEFAULT_THREADS);
    }

    public SystemHostResolver(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("a resolver needs at least one thread, got " + threads);
        }
        lookups = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                task -> Thread.ofPlatform().daemon(true).name("reseau-dns-" + THREAD_NUMBERS.incrementAndGet()).unstarted(task));
        lookups.allowCoreThreadTimeOut(true); // an idle resolver holds no threads
    }

    @Override
    public void resolve(String host, ResolveCallback callback) {
        Objects.requireNonNull(callback, "callback");
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("a host name is required");
        }
        Optional<InetAddress> literal = IpAddresses.parse(host);
        if (literal.isPresent()) {
            callback.onResolved(host, List.of(new HostAddress(host, literal.get())), null);
            return;
        }
        try {
            lookups.execute(() -> lookUp(host, callback));
        } catch (RejectedExecutionException e) {
            callback.onResolved(host, List.of(), IoError.DNS_QUERY_FAILED);
        }
    }

    @Override
    public void close() {
        lookups.shutdown();
    }

    private static void lookUp(String host, ResolveCallback callback) {
        AddressInfo.Result result = AddressInfo.resolve(host);
        if (result.error() != 0) {
            callback.onResolved(host, List.of(), errorOf(result.error()));
            return;
        }
        LinkedHashSet<InetAddress> unique = new LinkedHashSet<>(result.addresses());
        if (unique.isEmpty()) {
            callback.onResolved(host, List.of(), IoError.DNS_NO_ADDRESS_FOR_HOST);
            return;
        }
        callback.onResolved(host, unique.stream().map(address -> new HostAddress(host, address)).toList(), null);
    }

    /**
     * aws-c-io's mapping, except that a temporary failure (EAI_AGAIN) is {@code DNS_QUERY_AGAIN},
     * which is retryable, where aws-c-io reports the final {@code DNS_QUERY_FAILED}.
     */
    static IoError errorOf(int eai) {
        return switch (eai) {
            case AddressInfo.EAI_AGAIN -> IoError.DNS_QUERY_AGAIN;
            case AddressInfo.EAI_FAIL -> IoError.DNS_QUERY_FAILED;
            case AddressInfo.EAI_MEMORY -> IoError.OOM;
            case AddressInfo.EAI_NONAME, AddressInfo.EAI_SERVICE -> IoError.DNS_INVALID_NAME;
            default -> IoError.SYS_CALL_FAILURE;
        };
    }
}
