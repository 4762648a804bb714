package io.reseau.net.ssl;

import static org.assertj.core.api.Assertions.assertThat;

import io.reseau.testing.ChildJvm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An idle Reseau SSLEngine holds no record buffers: once a call has taken all it was given, s2n's
 * buffers go back, and the next record allocates them again.
 */
@Timeout(120)
class SSLEngineIdleTest {
    /**
     * Idle engine pairs, right after the handshake and after more than a record each way: what they hold is what s2n keeps
     * per connection (about 20 KB a pair), not record buffers (about 87 KB a pair when each engine
     * kept its own). Measured in a JVM of its own ({@link IdleEnginesProbe}), away from other
     * tests' garbage.
     */
    @Test
    void idleEnginesHoldNoRecordBuffers(@TempDir Path dir) throws Exception {
        try (ChildJvm child = ChildJvm.start(List.of(), false, IdleEnginesProbe.class, dir.toString())) {
            String[] held = child.awaitLine(IdleEnginesProbe.RESULT, Duration.ofSeconds(90))
                    .substring(IdleEnginesProbe.RESULT.length()).split(" ");
            assertThat(Long.parseLong(held[0])).as("native bytes per engine pair idle after its handshake").isLessThan(40_000);
            assertThat(Long.parseLong(held[1])).as("native bytes per engine pair idle after records each way").isLessThan(40_000);
        }
    }
}
