package io.reseau.cli.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs a {@link BenchmarkPlan}: every stack does the same scenario in turn, the order rotating
 * from one repetition to the next, so that drift in the machine (other load, thermal state)
 * falls on all stacks alike. Each stack warms up on every scenario before its first counted run.
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
            requestResponse(stacks);
            bulk(stacks);
            concurrency(stacks);
            idleMemory();
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

    /** E runs in child JVMs, one per stack and repetition; the stacks here are not used. */
    private void idleMemory() throws Exception {
        if (plan.memoryRepetitions() == 0) {
            return;
        }
        String title = String.format(Locale.ROOT, "E memory, %,d idle connections (a fresh JVM each)", plan.idleConnections());
        repeatByName(title, plan.stacks(), plan.memoryRepetitions(), (name, run) -> {
            Results.Memory result = IdleMemoryProbe.inChildJvm(name, plan.idleConnections());
            measurements.add(Metric.IDLE_MEMORY, name, result.totalPerConnection());
            measurements.add(Metric.IDLE_HEAP, name, result.heapBytesPerConnection());
            measurements.add(Metric.IDLE_NATIVE, name, result.rssBytesPerConnection());
            return String.format(Locale.ROOT, "%,d bytes per connection (heap %,d + native %,d)", result.totalPerConnection(),
                    result.heapBytesPerConnection(), result.rssBytesPerConnection());
        });
    }

    private interface Run {
        /** Runs once and records; returns the line to show. */
        String run(Stack stack, int repetition) throws Exception;
    }

    private interface NamedRun {
        String run(String stack, int repetition) throws Exception;
    }

    private void repeat(String title, Map<String, Stack> stacks, int repetitions, Run run) throws Exception {
        repeatByName(title, new ArrayList<>(stacks.keySet()), repetitions, (name, repetition) -> run.run(stacks.get(name), repetition));
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
