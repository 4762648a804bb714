package io.reseau.cli.bench;

import java.util.List;

/**
 * A ratio Reseau aims for against a peer, measured in the same run.
 *
 * @param bound the least ratio wanted when higher is better, the most when lower is better
 */
public record Target(Metric metric, String peer, double bound) {
    /** The project's targets: A and B at least the JDK's, C at least the JDK's and 0.9 × Netty's, E at most the JDK's. */
    public static final List<Target> ALL = List.of(
            new Target(Metric.REQUEST_RESPONSE_RATE, Stacks.JDK, 1.0),
            new Target(Metric.BULK_RATE, Stacks.JDK, 1.0),
            new Target(Metric.CONCURRENCY_RATE, Stacks.JDK, 1.0),
            new Target(Metric.CONCURRENCY_RATE, "netty-epoll", 0.9),
            new Target(Metric.IDLE_MEMORY, Stacks.JDK, 1.0));

    public boolean isMetBy(double ratio) {
        return metric.higherIsBetter ? ratio >= bound : ratio <= bound;
    }

    @Override
    public String toString() {
        return (metric.higherIsBetter ? "≥ " : "≤ ") + bound + "× " + peer;
    }
}
