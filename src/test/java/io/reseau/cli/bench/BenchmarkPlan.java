package io.reseau.cli.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What one benchmark run does: which stacks, how many repetitions, and each scenario's size.
 * The sizes are the (64-byte echoes, 1 GiB in 64 KiB writes, 1,000 × 200 round trips,
 * 5,000 idle connections) in both modes; the full mode repeats more and measures longer. Scenario
 * D (TLS) has stacks and sizes of its own ({@link TlsPlan}).
 *
 * @param stacks the stacks compared, Reseau among them
 * @param repetitions runs of A, B and C per stack, alternating between stacks
 * @param memoryRepetitions runs of E per stack (each in a fresh JVM)
 * @param scenarios the scenarios run, by letter (see {@link #SCENARIOS}); all of them by default
 */
public record BenchmarkPlan(String mode, List<String> stacks, int repetitions, int memoryRepetitions,
        Duration requestResponseWarmup, Duration requestResponseMeasure, int messageSize,
        long bulkBytes, int bulkWriteSize, int connections, int roundTripsPerConnection, int idleConnections, TlsPlan tls,
        Set<String> scenarios) {

    /** Every scenario, in the order they run. */
    public static final List<String> SCENARIOS = List.of("A", "B", "C", "P", "D", "E", "F", "G");

    public BenchmarkPlan {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(tls, "tls");
        stacks = List.copyOf(stacks);
        if (!stacks.contains(Stacks.RESEAU) || stacks.size() < 2) {
            throw new IllegalArgumentException("compare reseau with at least one other stack, got " + stacks);
        }
        scenarios = Set.copyOf(scenarios);
        if (scenarios.isEmpty() || !SCENARIOS.containsAll(scenarios)) {
            throw new IllegalArgumentException("scenarios are some of " + SCENARIOS + ", got " + scenarios);
        }
        if (repetitions < 1 || memoryRepetitions < 0) {
            throw new IllegalArgumentException("repetitions must be >= 1, got " + repetitions);
        }
    }

    /** About a minute and a half against one peer. */
    public static BenchmarkPlan quick(List<String> stacks, List<String> tlsStacks) {
        return new BenchmarkPlan("quick", stacks, 3, 3, Duration.ofMillis(500), Duration.ofSeconds(2), 64,
                1L << 30, 64 * 1024, 1000, 200, 5000, TlsPlan.quick(tlsStacks), Set.copyOf(SCENARIOS));
    }

    public static BenchmarkPlan full(List<String> stacks, List<String> tlsStacks) {
        return new BenchmarkPlan("full", stacks, 7, 3, Duration.ofSeconds(2), Duration.ofSeconds(5), 64,
                1L << 30, 64 * 1024, 1000, 200, 5000, TlsPlan.full(tlsStacks), Set.copyOf(SCENARIOS));
    }

    /** Tiny sizes, for checking the harness itself. */
    public static BenchmarkPlan smoke(List<String> stacks, List<String> tlsStacks) {
        return new BenchmarkPlan("smoke", stacks, 2, 1, Duration.ofMillis(100), Duration.ofMillis(200), 64,
                8L << 20, 64 * 1024, 20, 10, 50, TlsPlan.smoke(tlsStacks), Set.copyOf(SCENARIOS));
    }

    /** This plan, running only {@code chosen} of its scenarios: a measurement that needs one or two. */
    public BenchmarkPlan withScenarios(Set<String> chosen) {
        return new BenchmarkPlan(mode, stacks, repetitions, memoryRepetitions, requestResponseWarmup, requestResponseMeasure,
                messageSize, bulkBytes, bulkWriteSize, connections, roundTripsPerConnection, idleConnections, tls, chosen);
    }

    /** Whether {@code scenario} (a letter of {@link #SCENARIOS}) runs. */
    public boolean runs(String scenario) {
        return scenarios.contains(scenario);
    }

    /** Every stack the plan measures, in report order: the socket stacks, then TLS-only ones. */
    public List<String> allStacks() {
        List<String> all = new ArrayList<>(stacks);
        tls.stacks().stream().filter(name -> !all.contains(name)).forEach(all::add);
        return List.copyOf(all);
    }
}
