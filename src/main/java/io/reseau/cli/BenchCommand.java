package io.reseau.cli;

import io.reseau.cli.bench.Benchmark;
import io.reseau.cli.bench.BenchmarkPlan;
import io.reseau.cli.bench.Machine;
import io.reseau.cli.bench.Measurements;
import io.reseau.cli.bench.Report;
import io.reseau.cli.bench.StackProvider;
import io.reseau.cli.bench.Stacks;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code reseau bench}: runs a plan, shows progress, prints the table and writes the JSON. */
final class BenchCommand {
    static final Path DEFAULT_JSON = Path.of("reseau-bench.json");

    private final PrintStream out;
    private final PrintStream err;

    BenchCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /** The main job's default: the quick plan, Reseau against the JDK. */
    void runQuickAgainstJdk() throws Exception {
        out.println("Reseau: blocking sockets on aws-c-io-style event loops, through FFM. Comparing with the JDK's own");
        out.println("sockets on loopback (`reseau bench` adds Netty when built; `reseau help` lists the commands).");
        run(BenchmarkPlan.quick(List.of(Stacks.JDK, Stacks.RESEAU)), DEFAULT_JSON);
    }

    void run(String[] args) throws Exception {
        boolean full = false;
        List<String> stacks = null;
        Path json = DEFAULT_JSON;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--full" -> full = true;
                case "--stacks" -> stacks = Arrays.asList(value(args, ++i, "--stacks").split(","));
                case "--json" -> json = Path.of(value(args, ++i, "--json"));
                default -> throw new UsageException("unknown bench option '" + args[i] + "'");
            }
        }
        Map<String, StackProvider> known = Stacks.all();
        if (stacks == null) {
            stacks = Stacks.available();
        }
        for (String stack : stacks) {
            if (!known.containsKey(stack)) {
                throw new UsageException("unknown stack '" + stack + "'; known here: " + String.join(", ", known.keySet()));
            }
            String reason = known.get(stack).unavailableReason();
            if (reason != null) {
                throw new UsageException("stack '" + stack + "' cannot run here: " + reason);
            }
        }
        if (!stacks.contains(Stacks.RESEAU) || stacks.size() < 2) {
            throw new UsageException("--stacks must name reseau and at least one peer");
        }
        run(full ? BenchmarkPlan.full(stacks) : BenchmarkPlan.quick(stacks), json);
    }

    private void run(BenchmarkPlan plan, Path json) throws Exception {
        out.println("stacks: " + String.join(", ", plan.stacks()) + " (" + plan.mode() + " mode)");
        Measurements measurements = new Benchmark(plan, out).run();
        Report report = new Report(plan, measurements, Machine.current(), notRun(plan), Instant.now());
        out.println();
        out.print(report.table());
        try {
            Files.writeString(json, report.json());
            out.println("\nfigures written to " + json.toAbsolutePath());
        } catch (IOException e) {
            err.println("reseau: could not write " + json + ": " + Main.describe(e));
        }
    }

    /** Peers known but left out because they cannot run here. */
    private static Map<String, String> notRun(BenchmarkPlan plan) {
        Map<String, String> reasons = new LinkedHashMap<>();
        Stacks.all().forEach((name, provider) -> {
            String reason = provider.unavailableReason();
            if (reason != null && !plan.stacks().contains(name)) {
                reasons.put(name, reason);
            }
        });
        return reasons;
    }

    private static String value(String[] args, int index, String option) throws UsageException {
        if (index >= args.length) {
            throw new UsageException(option + " needs a value");
        }
        return args[index];
    }
}
