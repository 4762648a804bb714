package io.reseau.cli;

import io.reseau.cli.bench.Benchmark;
import io.reseau.cli.bench.BenchmarkPlan;
import io.reseau.cli.bench.Machine;
import io.reseau.cli.bench.Measurements;
import io.reseau.cli.bench.OpensslClients;
import io.reseau.cli.bench.Report;
import io.reseau.cli.bench.StackProvider;
import io.reseau.cli.bench.Stacks;
import io.reseau.cli.bench.TlsStackProvider;
import io.reseau.cli.bench.TlsStacks;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** {@code reseau bench}: runs a plan, shows progress, prints the table and writes the JSON. */
final class BenchCommand {
    static final Path DEFAULT_JSON = Path.of("reseau-bench.json");

    private final PrintStream out;
    private final PrintStream err;

    BenchCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /** The main job's default: the quick plan, Reseau against the JDK (and JSSE, once Reseau's TLS provider is built). */
    void runQuickAgainstJdk() throws Exception {
        out.println("Reseau: blocking sockets on aws-c-io-style event loops, through FFM. Comparing with the JDK's own");
        out.println("sockets and TLS on loopback (`reseau bench` adds Netty when built; `reseau help` lists the commands).");
        List<String> stacks = List.of(Stacks.JDK, Stacks.RESEAU);
        run(BenchmarkPlan.quick(stacks, tlsStacks(stacks)), DEFAULT_JSON);
    }

    void run(String[] args) throws Exception {
        boolean full = false;
        List<String> stacks = null;
        Set<String> scenarios = Set.copyOf(BenchmarkPlan.SCENARIOS);
        Path json = DEFAULT_JSON;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--full" -> full = true;
                case "--stacks" -> stacks = Arrays.asList(value(args, ++i, "--stacks").split(","));
                case "--json" -> json = Path.of(value(args, ++i, "--json"));
                case "--scenarios" -> scenarios = scenarios(value(args, ++i, "--scenarios"));
                default -> throw new UsageException("unknown bench option '" + args[i] + "'");
            }
        }
        Map<String, StackProvider> known = Stacks.all();
        Map<String, TlsStackProvider> knownTls = TlsStacks.all();
        List<String> named = stacks == null ? union(Stacks.available(), TlsStacks.available()) : stacks;
        for (String stack : named) {
            StackProvider sockets = known.get(stack);
            TlsStackProvider tls = knownTls.get(stack);
            if (sockets == null && tls == null) {
                throw new UsageException("unknown stack '" + stack + "'; known here: "
                        + String.join(", ", union(List.copyOf(known.keySet()), List.copyOf(knownTls.keySet()))));
            }
            // A stack runs the scenarios it can: reseau runs A-C and E before its TLS provider is built.
            boolean runs = sockets != null && sockets.unavailableReason() == null || tls != null && tls.unavailableReason() == null;
            if (!runs) {
                throw new UsageException("stack '" + stack + "' cannot run here: "
                        + (sockets != null ? sockets.unavailableReason() : tls.unavailableReason()));
            }
        }
        List<String> socketStacks = named.stream()
                .filter(stack -> known.containsKey(stack) && known.get(stack).unavailableReason() == null).toList();
        if (!socketStacks.contains(Stacks.RESEAU) || socketStacks.size() < 2) {
            throw new UsageException("--stacks must name reseau and at least one peer");
        }
        List<String> tlsStacks = tlsStacks(named);
        BenchmarkPlan plan = full ? BenchmarkPlan.full(socketStacks, tlsStacks) : BenchmarkPlan.quick(socketStacks, tlsStacks);
        run(plan.withScenarios(scenarios), json);
    }

    private static Set<String> scenarios(String letters) throws UsageException {
        Set<String> chosen = new LinkedHashSet<>();
        for (String letter : letters.split(",")) {
            String scenario = letter.trim().toUpperCase(Locale.ROOT);
            if (!BenchmarkPlan.SCENARIOS.contains(scenario)) {
                throw new UsageException("unknown scenario '" + letter + "'; the scenarios are " + String.join(",", BenchmarkPlan.SCENARIOS));
            }
            chosen.add(scenario);
        }
        return chosen;
    }

    /** Those of {@code named} that can run scenario D here, when two or more can; otherwise none (D is not run). */
    private static List<String> tlsStacks(List<String> named) {
        Map<String, TlsStackProvider> knownTls = TlsStacks.all();
        List<String> runnable = named.stream()
                .filter(stack -> knownTls.containsKey(stack) && knownTls.get(stack).unavailableReason() == null).toList();
        return runnable.size() >= 2 ? runnable : List.of();
    }

    private static List<String> union(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        second.stream().filter(name -> !all.contains(name)).forEach(all::add);
        return all;
    }

    private void run(BenchmarkPlan plan, Path json) throws Exception {
        out.println("stacks: " + String.join(", ", plan.stacks())
                + (plan.tls().runs() ? "; TLS: " + String.join(", ", plan.tls().stacks()) : "") + " (" + plan.mode() + " mode)");
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

    /** Peers known but left out because they cannot run here, TLS stacks among them, and D if it cannot run. */
    private static Map<String, String> notRun(BenchmarkPlan plan) {
        Map<String, String> reasons = new LinkedHashMap<>();
        Stacks.all().forEach((name, provider) -> {
            String reason = provider.unavailableReason();
            if (reason != null && !plan.stacks().contains(name)) {
                reasons.put(name, reason);
            }
        });
        TlsStacks.all().forEach((name, provider) -> {
            String reason = provider.unavailableReason();
            if (reason != null && !plan.tls().stacks().contains(name)) {
                reasons.put(name + " (TLS)", reason);
            }
        });
        String opensslMissing = OpensslClients.unavailableReason();
        if (plan.tls().stacks().containsAll(List.of(Stacks.JDK, Stacks.RESEAU)) && opensslMissing != null) {
            reasons.put("D6 (OpenSSL clients)", opensslMissing);
        }
        if (!plan.tls().runs()) {
            List<String> runnable = plan.stacks().stream().filter(TlsStacks.available()::contains).toList();
            reasons.put("D (TLS)", "it compares two TLS stacks or more; of the stacks compared, "
                    + (runnable.isEmpty() ? "none" : "only " + String.join(", ", runnable)) + " can run TLS here");
        }
        return reasons;
    }

    private static String value(String[] args, int index, String option) throws UsageException {
        if (index >= args.length) {
            throw new UsageException(option + " needs a value");
        }
        return args[index];
    }
}
