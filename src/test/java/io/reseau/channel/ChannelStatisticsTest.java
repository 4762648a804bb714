package io.reseau.channel;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChannelStatisticsTest {

    record Count(long value) implements HandlerStatistics {
        @Override
        public String category() {
            return "count";
        }
    }

    /** Counts the reads it sees in the current interval. */
    static final class CountingHandler extends RecordingHandler {
        long count;

        CountingHandler(List<String> log) {
            super("counter", log);
        }

        @Override
        public void processReadMessage(ChannelSlot slot, IoMessage message) throws io.reseau.common.IoErrorException {
            count++;
            super.processReadMessage(slot, message);
        }

        @Override
        public void resetStatistics() {
            count = 0;
        }

        @Override
        public void gatherStatistics(List<HandlerStatistics> statistics) {
            statistics.add(new Count(count));
        }
    }

    @Test
    void reportsEachIntervalAndRestartsTheCounters() throws Exception {
        TestingChannel testing = new TestingChannel(false);
        CountingHandler counter = new CountingHandler(testing.log);
        testing.installDownstream(counter);
        List<String> reports = new ArrayList<>();
        testing.channel.setStatisticsHandler(new StatisticsHandler() {
            @Override
            public Duration reportInterval() {
                return Duration.ofMillis(100);
            }

            @Override
            public void processStatistics(long beginMillis, long endMillis, List<HandlerStatistics> statistics, Channel channel) {
                reports.add(beginMillis + "-" + endMillis + " " + statistics);
            }
        });
        testing.pushRead(new byte[] {1});
        testing.pushRead(new byte[] {2});
        testing.loop.advanceNanos(100_000_000);
        testing.drain();
        testing.pushRead(new byte[] {3});
        testing.loop.advanceNanos(100_000_000);
        testing.drain();
        assertThat(reports).containsExactly("0-100 [Count[value=2]]", "100-200 [Count[value=1]]");

        testing.channel.shutdown(null);
        testing.drain();
        testing.loop.advanceNanos(100_000_000);
        testing.drain();
        assertThat(reports).as("no reports once the channel shut down").hasSize(2);
    }
}
