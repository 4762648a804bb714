package io.reseau.cli.bench;

import io.reseau.dns.CachingHostResolver;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.LongAdder;

/**
 * F, cached lookups: one host name resolved over and over once it is cached, by the JDK's
 * {@link InetAddress#getAllByName} (its own cache) and by Reseau's {@link CachingHostResolver},
 * from one thread and from many virtual threads at once. Each virtual thread yields after every
 * {@value #BATCH} lookups, so that all of them take turns on the carriers, as request handlers
 * that each resolve a name before their I/O would. Every answer is checked against the first.
 */
final class CachedLookups implements AutoCloseable {
    /** A name every machine resolves without a network: from /etc/hosts. */
    static final String HOST = "localhost";
    /** The virtual threads of the concurrent run. */
    static final int THREADS = 1000;
    private static final int BATCH = 100;

    /** One way to resolve: returns how many addresses it got, after checking them. */
    @FunctionalInterface
    private interface Lookup {
        int resolve() throws IOException;
    }

    private final CachingHostResolver reseau = new CachingHostResolver();
    private final Set<InetAddress> expected;

    CachedLookups() throws IOException {
        expected = new HashSet<>(Arrays.asList(InetAddress.getAllByName(HOST)));
        if (!expected.equals(new HashSet<>(reseau.resolve(HOST)))) {
            throw new IOException("Reseau resolves " + HOST + " to " + reseau.resolve(HOST) + ", the JDK to " + expected);
        }
    }

    /** Lookups per second of {@code stack} ({@link Stacks#JDK} or {@link Stacks#RESEAU}) from {@code threads} at once. */
    double perSecond(String stack, int threads, Duration warmup, Duration measure) throws Exception {
        Lookup lookup = switch (stack) {
            case Stacks.JDK -> () -> checked(InetAddress.getAllByName(HOST).length);
            case Stacks.RESEAU -> () -> checked(reseau.resolve(HOST).size());
            default -> throw new IllegalArgumentException("no resolver in stack " + stack);
        };
        run(lookup, threads, warmup);
        return run(lookup, threads, measure) / (measure.toNanos() / 1e9);
    }

    private int checked(int count) throws IOException {
        if (count != expected.size()) {
            throw new IOException(count + " addresses for " + HOST + ", expected " + expected.size());
        }
        return count;
    }

    /** Runs {@code lookup} on {@code threads} virtual threads (the caller alone for one) for {@code span}; returns the count. */
    private static long run(Lookup lookup, int threads, Duration span) throws Exception {
        if (threads == 1) {
            return batchesUntil(lookup, System.nanoTime() + span.toNanos(), false);
        }
        LongAdder total = new LongAdder();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>(threads);
        List<Exception> failures = Collections.synchronizedList(new ArrayList<>());
        long[] end = new long[1];
        for (int i = 0; i < threads; i++) {
            workers.add(Thread.ofVirtual().start(() -> {
                try {
                    start.await();
                    total.add(batchesUntil(lookup, end[0], true));
                } catch (Exception e) {
                    failures.add(e);
                }
            }));
        }
        end[0] = System.nanoTime() + span.toNanos();
        start.countDown();
        for (Thread worker : workers) {
            worker.join();
        }
        if (!failures.isEmpty()) {
            throw failures.getFirst();
        }
        return total.sum();
    }

    private static long batchesUntil(Lookup lookup, long end, boolean yield) throws IOException {
        long count = 0;
        while (System.nanoTime() - end < 0) {
            for (int i = 0; i < BATCH; i++) {
                lookup.resolve();
            }
            count += BATCH;
            if (yield) {
                Thread.yield();
            }
        }
        return count;
    }

    @Override
    public void close() {
        reseau.close();
    }
}
