package io.reseau.cli.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every sample taken, by metric and stack, and their summaries. */
public final class Measurements {
    /** The median of a stack's samples for one metric, and their range. */
    public record Summary(double median, double min, double max, List<Double> samples) {}

    private final Map<Metric, Map<String, List<Double>>> samples = new EnumMap<>(Metric.class);

    public void add(Metric metric, String stack, double value) {
        samples.computeIfAbsent(metric, m -> new LinkedHashMap<>()).computeIfAbsent(stack, s -> new ArrayList<>()).add(value);
    }

    /** The metrics that have samples, in declaration order. */
    public List<Metric> metrics() {
        return List.copyOf(samples.keySet());
    }

    /** The summary of {@code stack}'s samples for {@code metric}, or null if it has none. */
    public Summary summary(Metric metric, String stack) {
        List<Double> values = samples.getOrDefault(metric, Map.of()).get(stack);
        if (values == null || values.isEmpty()) {
            return null;
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        return new Summary(median, sorted.get(0), sorted.get(n - 1), List.copyOf(values));
    }

    /** {@code subject}'s median over {@code peer}'s, or NaN when either is missing. */
    public double ratio(Metric metric, String subject, String peer) {
        Summary ours = summary(metric, subject);
        Summary theirs = summary(metric, peer);
        return ours == null || theirs == null || theirs.median() == 0 ? Double.NaN : ours.median() / theirs.median();
    }
}
