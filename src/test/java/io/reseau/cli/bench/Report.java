package io.reseau.cli.bench;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/** The benchmark's results as a table for people and as JSON for tools. */
public final class Report {
    private final BenchmarkPlan plan;
    private final Measurements measurements;
    private final Machine machine;
    private final Map<String, String> unavailable;
    private final Instant finished;

    /** @param unavailable stacks that could not run here, with the reason */
    public Report(BenchmarkPlan plan, Measurements measurements, Machine machine, Map<String, String> unavailable,
            Instant finished) {
        this.plan = plan;
        this.measurements = measurements;
        this.machine = machine;
        this.unavailable = Map.copyOf(unavailable);
        this.finished = finished;
    }

    public String table() {
        StringBuilder out = new StringBuilder();
        TlsPlan tls = plan.tls();
        out.append(String.format(Locale.ROOT, "Reseau benchmark, %s mode: median [min – max] of %d runs (%sE: %d), loopback, %s%n",
                plan.mode(), plan.repetitions(), tls.runs() ? "D4: " + tls.memoryRepetitions() + ", " : "",
                plan.memoryRepetitions(), finished));
        out.append("machine: ").append(machine).append('\n');
        out.append(String.format(Locale.ROOT, "A: %d-byte echo ping-pong on 1 connection; B: %s in %d KiB writes; "
                        + "C: %,d connections × %d round trips; E: %,d idle connections%n",
                plan.messageSize(), size(plan.bulkBytes()), plan.bulkWriteSize() / 1024, plan.connections(),
                plan.roundTripsPerConnection(), plan.idleConnections()));
        if (tls.runs()) {
            out.append(String.format(Locale.ROOT, "D: TLS 1.3 on %s, EC P-256 certificate; D1: full handshakes, one client "
                            + "and %d at once; D2: %s; D3: %d-byte ping-pong; D4: %,d idle TLS connections; "
                            + "D5: resumed handshakes, as D1; D6: %d openssl s_time -new at once against jdk's and "
                            + "reseau's server sockets, %d s a run%n",
                    String.join(", ", tls.stacks()), tls.concurrentClients(), size(tls.bulkBytes()), plan.messageSize(),
                    tls.idleConnections(), tls.concurrentClients(), tls.opensslSeconds()));
        }
        if (measurements.metrics().contains(Metric.CACHED_LOOKUP_RATE)) {
            out.append(String.format(Locale.ROOT, "F: %s resolved from cache by InetAddress.getAllByName (jdk) and "
                    + "CachingHostResolver.resolve (reseau), one thread and %,d virtual threads%n", CachedLookups.HOST,
                    CachedLookups.THREADS));
        }
        Measurements.Summary deadFirst = measurements.summary(Metric.DEAD_FIRST_ADDRESS_CONNECT, Stacks.RESEAU);
        if (deadFirst != null) {
            out.append(String.format(Locale.ROOT, "G: %s resolves to a silent address, then a listening one; reseau races "
                            + "them, jdk tries the first (Socket(host, port)); %d ms timeout; target reseau ≤ %d ms "
                            + "(two attempt delays): %s%n", DeadFirstAddress.HOST, DeadFirstAddress.TIMEOUT.toMillis(),
                    DeadFirstAddress.TARGET.toMillis(), deadFirst.median() <= DeadFirstAddress.TARGET.toMillis() ? "met" : "NOT met"));
        }
        unavailable.forEach((stack, reason) -> out.append("not run: ").append(stack).append(" (").append(reason).append(")\n"));
        for (Metric metric : measurements.metrics()) {
            out.append(String.format(Locale.ROOT, "%n%s %s: %s (%s is better)%n", metric.scenario, metric.scenarioName,
                    metric.unit, metric.higherIsBetter ? "higher" : "lower"));
            for (String stack : plan.allStacks()) {
                Measurements.Summary summary = measurements.summary(metric, stack);
                if (summary == null) {
                    continue;
                }
                out.append(String.format(Locale.ROOT, "  %-15s %12s   [%s – %s]", stack, number(summary.median()),
                        number(summary.min()), number(summary.max())));
                if (Target.SUBJECTS.contains(stack)) {
                    out.append(ratios(metric, stack));
                }
                out.append('\n');
            }
        }
        return out.toString();
    }

    /** {@code subject}'s ratio to every peer (none of Reseau's own), with the target where one is set. */
    private String ratios(Metric metric, String subject) {
        StringJoiner joined = new StringJoiner(", ", "   ", "");
        for (String peer : plan.allStacks()) {
            double ratio = measurements.ratio(metric, subject, peer);
            if (Target.SUBJECTS.contains(peer) || Double.isNaN(ratio)) {
                continue;
            }
            String text = String.format(Locale.ROOT, "%.2f× %s", ratio, peer);
            for (Target target : Target.ALL) {
                if (target.subject().equals(subject) && target.metric() == metric && target.peer().equals(peer)) {
                    text += " (target " + target + ": " + (target.isMetBy(ratio) ? "met" : "NOT met") + ")";
                }
            }
            joined.add(text);
        }
        return joined.toString();
    }

    public String json() {
        StringBuilder json = new StringBuilder("{\n");
        json.append("  \"mode\": ").append(quote(plan.mode())).append(",\n");
        json.append("  \"finished\": ").append(quote(finished.toString())).append(",\n");
        json.append("  \"machine\": {\"cpus\": ").append(machine.cpus())
                .append(", \"cpuModel\": ").append(quote(machine.cpuModel()))
                .append(", \"os\": ").append(quote(machine.os()))
                .append(", \"kernel\": ").append(quote(machine.kernel()))
                .append(", \"java\": ").append(quote(machine.java()))
                .append(", \"memoryBytes\": ").append(machine.memoryBytes()).append("},\n");
        json.append(String.format(Locale.ROOT, "  \"plan\": {\"repetitions\": %d, \"memoryRepetitions\": %d, "
                        + "\"requestResponseWarmupMillis\": %d, \"requestResponseMeasureMillis\": %d, \"messageSize\": %d, "
                        + "\"bulkBytes\": %d, \"bulkWriteSize\": %d, \"connections\": %d, \"roundTripsPerConnection\": %d, "
                        + "\"idleConnections\": %d},%n",
                plan.repetitions(), plan.memoryRepetitions(), plan.requestResponseWarmup().toMillis(),
                plan.requestResponseMeasure().toMillis(), plan.messageSize(), plan.bulkBytes(), plan.bulkWriteSize(),
                plan.connections(), plan.roundTripsPerConnection(), plan.idleConnections()));
        TlsPlan tls = plan.tls();
        json.append(String.format(Locale.ROOT, "  \"tlsPlan\": {\"stacks\": %s, \"stackWarmupMillis\": %d, \"warmupMillis\": %d, "
                        + "\"measureMillis\": %d, \"concurrentClients\": %d, \"bulkBytes\": %d, \"idleConnections\": %d, "
                        + "\"memoryRepetitions\": %d, \"opensslSeconds\": %d},%n",
                stringArray(tls.stacks()), tls.stackWarmup().toMillis(), tls.warmup().toMillis(), tls.measure().toMillis(),
                tls.concurrentClients(), tls.bulkBytes(), tls.idleConnections(), tls.memoryRepetitions(), tls.opensslSeconds()));
        json.append("  \"stacks\": ").append(stringArray(plan.stacks())).append(",\n");
        json.append("  \"unavailable\": {");
        StringJoiner reasons = new StringJoiner(", ");
        unavailable.forEach((stack, reason) -> reasons.add(quote(stack) + ": " + quote(reason)));
        json.append(reasons).append("},\n");
        json.append("  \"metrics\": [");
        StringJoiner metrics = new StringJoiner(",", "\n", "\n  ");
        for (Metric metric : measurements.metrics()) {
            metrics.add(metricJson(metric));
        }
        json.append(metrics).append("]\n}\n");
        return json.toString();
    }

    private String metricJson(Metric metric) {
        StringBuilder json = new StringBuilder("    {");
        json.append("\"scenario\": ").append(quote(metric.scenario))
                .append(", \"name\": ").append(quote(metric.scenarioName))
                .append(", \"unit\": ").append(quote(metric.unit))
                .append(", \"higherIsBetter\": ").append(metric.higherIsBetter)
                .append(",\n      \"results\": {");
        StringJoiner results = new StringJoiner(", ");
        for (String stack : plan.allStacks()) {
            Measurements.Summary summary = measurements.summary(metric, stack);
            if (summary != null) {
                StringJoiner samples = new StringJoiner(", ", "[", "]");
                summary.samples().forEach(sample -> samples.add(decimal(sample)));
                results.add(quote(stack) + ": {\"median\": " + decimal(summary.median()) + ", \"min\": " + decimal(summary.min())
                        + ", \"max\": " + decimal(summary.max()) + ", \"samples\": " + samples + "}");
            }
        }
        json.append(results).append("},\n      \"ratios\": {");
        StringJoiner ratios = new StringJoiner(", ");
        for (String subject : Target.SUBJECTS) {
            for (String peer : plan.allStacks()) {
                double ratio = measurements.ratio(metric, subject, peer);
                if (!Target.SUBJECTS.contains(peer) && !Double.isNaN(ratio)) {
                    ratios.add(quote(subject + "/" + peer) + ": " + decimal(ratio));
                }
            }
        }
        json.append(ratios).append("}");
        StringJoiner targets = new StringJoiner(", ");
        for (Target target : Target.ALL) {
            double ratio = measurements.ratio(metric, target.subject(), target.peer());
            if (target.metric() == metric && !Double.isNaN(ratio)) {
                targets.add("{\"subject\": " + quote(target.subject()) + ", \"peer\": " + quote(target.peer()) + ", \"bound\": " + decimal(target.bound())
                        + ", \"met\": " + target.isMetBy(ratio) + "}");
            }
        }
        json.append(",\n      \"targets\": [").append(targets).append("]}");
        return json.toString();
    }

    private static String number(double value) {
        return value >= 100 ? String.format(Locale.ROOT, "%,.0f", value) : String.format(Locale.ROOT, "%.2f", value);
    }

    private static String size(long bytes) {
        return bytes >= 1L << 30 ? (bytes >> 30) + " GiB" : (bytes >> 20) + " MiB";
    }

    private static String decimal(double value) {
        return Double.isFinite(value) ? String.format(Locale.ROOT, "%.4f", value) : "null";
    }

    private static String stringArray(List<String> values) {
        StringJoiner joined = new StringJoiner(", ", "[", "]");
        values.forEach(value -> joined.add(quote(value)));
        return joined.toString();
    }

    private static String quote(String text) {
        StringBuilder quoted = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                case '\n' -> quoted.append("\\n");
                default -> {
                    if (c < 0x20) {
                        quoted.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        quoted.append(c);
                    }
                }
            }
        }
        return quoted.append('"').toString();
    }
}
