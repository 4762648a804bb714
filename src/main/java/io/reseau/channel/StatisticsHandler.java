package io.reseau.channel;

import java.time.Duration;
import java.util.List;

/**
 * Receives a channel's per-handler statistics every {@link #reportInterval()} (aws-c-io's
 * {@code aws_crt_statistics_handler}); the handlers' counters restart after each report.
 */
public interface StatisticsHandler {
    Duration reportInterval();

    /**
     * @param beginMillis start of the interval, on the channel's clock in milliseconds
     * @param endMillis end of the interval
     * @param statistics one entry per handler that keeps statistics, left to right
     */
    void processStatistics(long beginMillis, long endMillis, List<HandlerStatistics> statistics, Channel channel);
}
