package io.reseau.dns;

import io.reseau.common.IoError;
import io.reseau.common.IoErrorException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A lookup function that answers from a script (aws-c-io's mock DNS resolver): each lookup takes
 * the next step, and the last step repeats. It can hold lookups until the test opens its gate.
 */
final class ScriptedLookup implements AddressLookup {
    private final List<Object> steps = new ArrayList<>(); // List<InetAddress> or IoError
    private final AtomicInteger calls = new AtomicInteger();
    private final List<Thread> threads = new ArrayList<>(); // guarded by itself
    private volatile CountDownLatch gate = new CountDownLatch(0);

    /** A script whose first lookup answers {@code addresses} (literals). */
    static ScriptedLookup answering(String... addresses) {
        return new ScriptedLookup().then(addresses);
    }

    ScriptedLookup then(String... addresses) {
        List<InetAddress> parsed = new ArrayList<>();
        for (String address : addresses) {
            try {
                parsed.add(InetAddress.getByName(address)); // a literal: no lookup
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException(address + " is not an address literal", e);
            }
        }
        steps.add(List.copyOf(parsed));
        return this;
    }

    ScriptedLookup thenFailing(IoError error) {
        steps.add(error);
        return this;
    }

    /** Lookups from now on wait until {@link #open()}. */
    ScriptedLookup closeGate() {
        gate = new CountDownLatch(1);
        return this;
    }

    void open() {
        gate.countDown();
    }

    int calls() {
        return calls.get();
    }

    /** The threads lookups ran on, in order. */
    List<Thread> threads() {
        synchronized (threads) {
            return List.copyOf(threads);
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<InetAddress> lookUp(String host) throws IoErrorException {
        synchronized (threads) {
            threads.add(Thread.currentThread());
        }
        int call = calls.getAndIncrement();
        try {
            gate.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IoErrorException(IoError.DNS_QUERY_FAILED, "interrupted");
        }
        Object step = steps.get(Math.min(call, steps.size() - 1));
        if (step instanceof IoError error) {
            throw new IoErrorException(error, "scripted failure for " + host);
        }
        return (List<InetAddress>) step;
    }
}
