package io.reseau.cli.bench;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs a {@link BenchmarkPlan}: every stack does the same scenario in turn, the order rotating
 * from one repetition to the next, so that drift in the machine (other load, thermal state)
 * falls on all stacks alike. Each stack warms up on every scenario before its first counted run.
 * Scenario D runs on the TLS stacks, which exist only while it runs.
 */
public final class Benchmark {
    private final BenchmarkPlan plan;
    private final PrintStream progress;
    private final Measurements measurements = new Measurements();

    /** @param progress where each run's figure is reported as it comes */
    public Benchmark(BenchmarkPlan plan, PrintStream progress) {
        this.plan = plan;
        this.progress = progress;
    }

    public Measurements run() throws Exception {
        Map<String, Stack> stacks = new LinkedHashMap<>();
        try {
            for (String name : plan.stacks()) {
                stacks.put(name, Stacks.named(name).create());
            }
            if (plan.runs("A")) {
                requestResponse(stacks);
            }
            if (plan.runs("B")) {
                bulk(stacks);
            }
            if (plan.runs("C")) {
                concurrency(stacks);
            }
            if (plan.runs("P")) {
                pipes();
            }
            if (plan.runs("D")) {
                tls();
            }
            if (plan.runs("E")) {
                idleMemory();
            }
            if (plan.runs("F")) {
                cachedLookups();
            }
            if (plan.runs("G")) {
                deadFirstAddress();
            }
        } finally {
            for (Stack stack : stacks.values()) {
                stack.close();
            }
        }
        return measurements;
    }

    private void requestResponse(Map<String, Stack> stacks) throws Exception {
        String title = String.format(Locale.ROOT, "A request/response, %d-byte echoes", plan.messageSize());
        repeat(title, stacks, plan.repetitions(), (stack, run) -> {
            Results.RoundTrips result = stack.requestResponse(plan.requestResponseWarmup(), plan.requestResponseMeasure(),
                    plan.messageSize());
            measurements.add(Metric.REQUEST_RESPONSE_RATE, stack.name(), result.perSecond());
            measurements.add(Metric.REQUEST_RESPONSE_P50, stack.name(), result.p50Nanos() / 1e3);
            measurements.add(Metric.REQUEST_RESPONSE_P99, stack.name(), result.p99Nanos() / 1e3);
            return String.format(Locale.ROOT, "%,.0f round trips/s, p50 %.1f µs, p99 %.1f µs", result.perSecond(),
                    result.p50Nanos() / 1e3, result.p99Nanos() / 1e3);
        });
    }

    private void bulk(Map<String, Stack> stacks) throws Exception {
        String title = String.format(Locale.ROOT, "B bulk, %d MiB in %d KiB writes", plan.bulkBytes() >> 20,
                plan.bulkWriteSize() / 1024);
        for (Stack stack : stacks.values()) {
            stack.bulk(plan.bulkBytes() / 8, plan.bulkWriteSize()); // warm-up
        }
        repeat(title, stacks, plan.repetitions(), (stack, run) -> {
            Results.Bulk result = stack.bulk(plan.bulkBytes(), plan.bulkWriteSize());
            measurements.add(Metric.BULK_RATE, stack.name(), result.mibPerSecond());
            return String.format(Locale.ROOT, "%,.0f MiB/s", result.mibPerSecond());
        });
    }

    private void concurrency(Map<String, Stack> stacks) throws Exception {
        String title = String.format(Locale.ROOT, "C concurrency, %,d connections × %d round trips", plan.connections(),
                plan.roundTripsPerConnection());
        for (Stack stack : stacks.values()) {
            stack.concurrency(Math.max(1, plan.connections() / 10), Math.max(1, plan.roundTripsPerConnection() / 4),
                    plan.messageSize()); // warm-up
        }
        repeat(title, stacks, plan.repetitions(), (stack, run) -> {
            Results.Concurrency result = stack.concurrency(plan.connections(), plan.roundTripsPerConnection(), plan.messageSize());
            measurements.add(Metric.CONCURRENCY_RATE, stack.name(), result.perSecond());
            return String.format(Locale.ROOT, "%,.0f round trips/s", result.perSecond());
        });
    }

    /** P: a pipe's blocking streams, on the stacks that have one (made for it), B's sizes. */
    private void pipes() throws Exception {
        List<String> names = PipeStack.NAMES.stream().filter(plan.stacks()::contains).toList();
        Map<String, PipeStack> stacks = new LinkedHashMap<>();
        try {
            for (String name : names) {
                stacks.put(name, PipeStack.named(name));
            }
            for (PipeStack stack : stacks.values()) {
                stack.transfer(plan.bulkBytes() / 8, plan.bulkWriteSize()); // warm-up
            }
            String title = String.format(Locale.ROOT, "P pipe, %d MiB in %d KiB writes", plan.bulkBytes() >> 20,
                    plan.bulkWriteSize() / 1024);
            repeatByName(title, names, plan.repetitions(), (name, run) -> {
                Results.Bulk result = stacks.get(name).transfer(plan.bulkBytes(), plan.bulkWriteSize());
                measurements.add(Metric.PIPE_RATE, name, result.mibPerSecond());
                return String.format(Locale.ROOT, "%,.0f MiB/s", result.mibPerSecond());
            });
        } finally {
            for (PipeStack stack : stacks.values()) {
                stack.close();
            }
        }
    }

    /** D: TLS 1.3 on the TLS stacks, created for it and closed before D4 and E. */
    private void tls() throws Exception {
        TlsPlan tls = plan.tls();
        if (!tls.runs()) {
            return;
        }
        Map<String, TlsStack> stacks = new LinkedHashMap<>();
        try {
            for (String name : tls.stacks()) {
                stacks.put(name, TlsStacks.named(name).create());
            }
            for (TlsStack stack : stacks.values()) {
                // Clients at once handshake the most per second, and so compile the handshake soonest.
                stack.handshakes(TlsStack.Handshake.FULL, tls.concurrentClients(), Duration.ZERO, tls.stackWarmup(),
                        plan.messageSize());
            }
            handshakes(stacks, TlsStack.Handshake.FULL, 1, Metric.HANDSHAKE_RATE);
            handshakes(stacks, TlsStack.Handshake.FULL, tls.concurrentClients(), Metric.CONCURRENT_HANDSHAKE_RATE);
            tlsBulk(stacks);
            tlsRequestResponse(stacks);
            resumedHandshakes(stacks);
            opensslClients(stacks);
        } finally {
            for (TlsStack stack : stacks.values()) {
                stack.close();
            }
        }
        tlsIdleMemory();
    }

    private void handshakes(Map<String, TlsStack> stacks, TlsStack.Handshake kind, int clients, Metric metric) throws Exception {
        TlsPlan tls = plan.tls();
        String title = String.format(Locale.ROOT, "%s, %s, each %s and a %d-byte echo",
                kind == TlsStack.Handshake.FULL ? "D1 TLS 1.3 handshakes" : "D5 TLS 1.3 resumed handshakes",
                clients == 1 ? "one client at a time" : clients + " clients at once",
                kind == TlsStack.Handshake.FULL ? "a full handshake" : "resuming the client's last session", plan.messageSize());
        repeatTls(title, stacks, (stack, run) -> {
            Results.Handshakes result = stack.handshakes(kind, clients, tls.warmup(), tls.measure(), plan.messageSize());
            measurements.add(metric, stack.name(), result.perSecond());
            return String.format(Locale.ROOT, "%,.0f handshakes/s (%s)", result.perSecond(), result.cipherSuite());
        });
    }

    /**
     * D5, after a warm-up per stack: the resumed handshake has code paths of its own. Stacks that do
     * not resume sessions are left out, with their reason.
     */
    private void resumedHandshakes(Map<String, TlsStack> allStacks) throws Exception {
        TlsPlan tls = plan.tls();
        Map<String, TlsStack> stacks = new LinkedHashMap<>();
        allStacks.forEach((name, stack) -> {
            String reason = stack.resumptionUnavailableReason();
            if (reason == null) {
                stacks.put(name, stack);
            } else {
                progress.println("D5 TLS 1.3 resumed handshakes: " + name + " not run, " + reason);
            }
        });
        for (TlsStack stack : stacks.values()) {
            stack.handshakes(TlsStack.Handshake.RESUMED, tls.concurrentClients(), Duration.ZERO, tls.stackWarmup().dividedBy(4),
                    plan.messageSize());
        }
        handshakes(stacks, TlsStack.Handshake.RESUMED, 1, Metric.RESUMED_HANDSHAKE_RATE);
        handshakes(stacks, TlsStack.Handshake.RESUMED, tls.concurrentClients(), Metric.CONCURRENT_RESUMED_HANDSHAKE_RATE);
    }

    /** D6, on JSSE's and Reseau's server sockets, when both are among the TLS stacks and OpenSSL is here. */
    private void opensslClients(Map<String, TlsStack> stacks) throws Exception {
        TlsPlan tls = plan.tls();
        List<String> names = List.of(Stacks.JDK, Stacks.RESEAU);
        if (!stacks.keySet().containsAll(names)) {
            return;
        }
        String title = String.format(Locale.ROOT, "D6 TLS 1.3 server sockets, %d openssl s_time -new at once, %d s a run",
                tls.concurrentClients(), tls.opensslSeconds());
        String unavailable = OpensslClients.unavailableReason();
        if (unavailable != null) {
            progress.println(title + ": not run, " + unavailable);
            return;
        }
        for (String name : names) {
            stacks.get(name).opensslClients(tls.concurrentClients(), 1, plan.messageSize()); // warm-up
        }
        repeatByName(title, names, plan.repetitions(), (name, run) -> {
            Results.Connections result = stacks.get(name).opensslClients(tls.concurrentClients(), tls.opensslSeconds(),
                    plan.messageSize());
            measurements.add(Metric.OPENSSL_CONNECTION_RATE, name, result.perSecond());
            return String.format(Locale.ROOT, "%,.0f connections/s (%,d full handshakes)", result.perSecond(), result.count());
        });
    }

    private void tlsBulk(Map<String, TlsStack> stacks) throws Exception {
        long bytes = plan.tls().bulkBytes();
        String title = String.format(Locale.ROOT, "D2 TLS bulk, %d MiB in %d KiB writes", bytes >> 20, plan.bulkWriteSize() / 1024);
        for (TlsStack stack : stacks.values()) {
            stack.bulk(bytes, plan.bulkWriteSize()); // warm-up: JSSE's records take a few hundred MiB to compile
        }
        repeatTls(title, stacks, (stack, run) -> {
            Results.Bulk result = stack.bulk(bytes, plan.bulkWriteSize());
            measurements.add(Metric.TLS_BULK_RATE, stack.name(), result.mibPerSecond());
            return String.format(Locale.ROOT, "%,.0f MiB/s", result.mibPerSecond());
        });
    }

    private void tlsRequestResponse(Map<String, TlsStack> stacks) throws Exception {
        TlsPlan tls = plan.tls();
        String title = String.format(Locale.ROOT, "D3 TLS request/response, %d-byte echoes", plan.messageSize());
        for (TlsStack stack : stacks.values()) {
            stack.requestResponse(Duration.ZERO, tls.stackWarmup().dividedBy(4), plan.messageSize()); // warm-up
        }
        repeatTls(title, stacks, (stack, run) -> {
            Results.RoundTrips result = stack.requestResponse(tls.warmup(), tls.measure(), plan.messageSize());
            measurements.add(Metric.TLS_REQUEST_RESPONSE_RATE, stack.name(), result.perSecond());
            measurements.add(Metric.TLS_REQUEST_RESPONSE_P50, stack.name(), result.p50Nanos() / 1e3);
            return String.format(Locale.ROOT, "%,.0f round trips/s, p50 %.1f µs", result.perSecond(), result.p50Nanos() / 1e3);
        });
    }

    /** D4 runs in child JVMs, as E does. */
    private void tlsIdleMemory() throws Exception {
        TlsPlan tls = plan.tls();
        String title = String.format(Locale.ROOT, "D4 memory, %,d idle TLS connections (a fresh JVM each)", tls.idleConnections());
        idleMemory(title, tls.stacks(), true, tls.idleConnections(), tls.memoryRepetitions(),
                Metric.TLS_IDLE_MEMORY, Metric.TLS_IDLE_HEAP, Metric.TLS_IDLE_NATIVE);
    }

    /** E runs in child JVMs, one per stack and repetition; the stacks here are not used. */
    private void idleMemory() throws Exception {
        String title = String.format(Locale.ROOT, "E memory, %,d idle connections (a fresh JVM each)", plan.idleConnections());
        idleMemory(title, plan.stacks(), false, plan.idleConnections(), plan.memoryRepetitions(),
                Metric.IDLE_MEMORY, Metric.IDLE_HEAP, Metric.IDLE_NATIVE);
    }

    private void idleMemory(String title, List<String> stacks, boolean tls, int connections, int repetitions,
            Metric total, Metric heap, Metric nativeBytes) throws Exception {
        if (repetitions == 0) {
            return;
        }
        repeatByName(title, stacks, repetitions, (name, run) -> {
            Results.Memory result = IdleMemoryProbe.inChildJvm(name, tls, connections);
            measurements.add(total, name, result.totalPerConnection());
            measurements.add(heap, name, result.heapBytesPerConnection());
            measurements.add(nativeBytes, name, result.nativeBytesPerConnection());
            return String.format(Locale.ROOT, "%,d bytes per connection (heap %,d + native %,d)", result.totalPerConnection(),
                    result.heapBytesPerConnection(), result.nativeBytesPerConnection());
        });
    }

    /** F: Reseau's resolver against the JDK's {@code InetAddress} cache, when the plan compares with the JDK. */
    private void cachedLookups() throws Exception {
        if (!plan.stacks().contains(Stacks.JDK)) {
            return;
        }
        try (CachedLookups lookups = new CachedLookups()) {
            cachedLookups(lookups, 1, Metric.CACHED_LOOKUP_RATE);
            cachedLookups(lookups, CachedLookups.THREADS, Metric.CONCURRENT_CACHED_LOOKUP_RATE);
        }
    }

    private void cachedLookups(CachedLookups lookups, int threads, Metric metric) throws Exception {
        String title = String.format(Locale.ROOT, "F cached lookups of %s, %s", CachedLookups.HOST,
                threads == 1 ? "one thread" : String.format(Locale.ROOT, "%,d virtual threads", threads));
        repeatByName(title, List.of(Stacks.JDK, Stacks.RESEAU), plan.repetitions(), (name, run) -> {
            double rate = lookups.perSecond(name, threads, plan.requestResponseWarmup(), plan.requestResponseMeasure());
            measurements.add(metric, name, rate);
            return String.format(Locale.ROOT, "%,.0f lookups/s", rate);
        });
    }

    /** G: Reseau's connection race against the JDK's single attempt, when the plan compares with the JDK. */
    private void deadFirstAddress() throws Exception {
        if (!plan.stacks().contains(Stacks.JDK)) {
            return;
        }
        String title = String.format(Locale.ROOT, "G connect to a host whose first address is dead, %d ms timeout",
                DeadFirstAddress.TIMEOUT.toMillis());
        try (DeadFirstAddress scenario = new DeadFirstAddress()) {
            repeatByName(title, List.of(Stacks.JDK, Stacks.RESEAU), plan.repetitions(), (name, run) -> {
                double millis = scenario.millisPerConnect(name);
                measurements.add(Metric.DEAD_FIRST_ADDRESS_CONNECT, name, millis);
                return String.format(Locale.ROOT, "%.0f ms", millis);
            });
        }
    }

    private interface Run {
        /** Runs once and records; returns the line to show. */
        String run(Stack stack, int repetition) throws Exception;
    }

    private interface TlsRun {
        String run(TlsStack stack, int repetition) throws Exception;
    }

    private interface NamedRun {
        String run(String stack, int repetition) throws Exception;
    }

    private void repeat(String title, Map<String, Stack> stacks, int repetitions, Run run) throws Exception {
        repeatByName(title, new ArrayList<>(stacks.keySet()), repetitions, (name, repetition) -> run.run(stacks.get(name), repetition));
    }

    private void repeatTls(String title, Map<String, TlsStack> stacks, TlsRun run) throws Exception {
        repeatByName(title, new ArrayList<>(stacks.keySet()), plan.repetitions(),
                (name, repetition) -> run.run(stacks.get(name), repetition));
    }

    private void repeatByName(String title, List<String> names, int repetitions, NamedRun run) throws Exception {
        progress.println(title);
        for (int repetition = 0; repetition < repetitions; repetition++) {
            for (int i = 0; i < names.size(); i++) {
                String name = names.get((i + repetition) % names.size());
                progress.printf(Locale.ROOT, "  run %d/%d  %-15s ", repetition + 1, repetitions, name);
                progress.flush();
                progress.println(run.run(name, repetition));
            }
        }
    }
}
