package io.reseau.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reseau.common.IoError;
import io.reseau.common.IoErrorException;
import org.junit.jupiter.api.Test;

/**
 * Read back-pressure: windows are debited by reads and re-granted in batches that reach the left
 * only when the scarcest slot runs low (aws-c-io PR #818's three window-update tests).
 */
class ChannelWindowTest {
    private static final int KIB = 1024;
    private final TestingChannel testing = new TestingChannel(true);
    private final RecordingHandler middle = new RecordingHandler("middle", testing.log);
    private final RecordingHandler app = new RecordingHandler("app", testing.log);
    private ChannelSlot middleSlot;
    private ChannelSlot appSlot;

    private void install(long middleWindow, long appWindow) {
        middle.initialWindow = middleWindow;
        app.initialWindow = appWindow;
        middleSlot = testing.installDownstream(middle);
        appSlot = testing.installDownstream(app);
        testing.drain();
    }

    @Test
    void initialWindowsAreGrantedToTheLeft() {
        install(80 * KIB, 1024 * KIB);
        assertThat(testing.source.windowGranted).isEqualTo(80 * KIB);
        assertThat(middle.windowGranted).isEqualTo(1024 * KIB);
        assertThat(middleSlot.windowSize()).isEqualTo(80 * KIB);
        assertThat(testing.channel.firstSlot().downstreamReadWindow()).isEqualTo(80 * KIB);
    }

    @Test
    void anUpdateGatesOnTheScarcestSlotNotOnTheOneGranting() {
        install(16 * KIB, 1024 * KIB);
        int before = middle.windowIncrementCalls;
        appSlot.incrementReadWindow(100); // the app's own window is roomy, the middle one is not
        testing.drain();
        assertThat(middle.windowIncrementCalls).isEqualTo(before + 1);
        assertThat(middle.windowGranted).isEqualTo(1024 * KIB + 100);
    }

    @Test
    void grantsAreBatchedWhileEverySlotIsRoomy() {
        install(128 * KIB, 1024 * KIB);
        int middleCalls = middle.windowIncrementCalls;
        int sourceCalls = testing.source.windowIncrementCalls;
        for (int i = 0; i < 10; i++) {
            appSlot.incrementReadWindow(1_000);
            middleSlot.incrementReadWindow(1_000);
        }
        testing.drain();
        assertThat(middle.windowIncrementCalls).isEqualTo(middleCalls);
        assertThat(testing.source.windowIncrementCalls).isEqualTo(sourceCalls);
    }

    @Test
    void aReadThatStarvesASlotReleasesTheBatchedGrants() throws Exception {
        install(80 * KIB, 1024 * KIB);
        appSlot.incrementReadWindow(100);
        middleSlot.incrementReadWindow(200);
        testing.drain();
        long middleGranted = middle.windowGranted;
        long sourceGranted = testing.source.windowGranted;
        testing.pushRead(new byte[16 * KIB]); // middle's window: 80 KiB -> 64 KiB, the threshold
        testing.drain();
        assertThat(middle.windowGranted).isEqualTo(middleGranted + 100);
        assertThat(testing.source.windowGranted).isEqualTo(sourceGranted + 200);
        assertThat(middleSlot.windowSize()).isEqualTo(64 * KIB + 200);
    }

    @Test
    void aReadLargerThanTheWindowIsRefusedAndTheSenderKeepsTheMessage() {
        install(10, 1024 * KIB);
        assertThatThrownBy(() -> testing.pushRead(new byte[11]))
                .isInstanceOfSatisfying(IoErrorException.class,
                        e -> assertThat(e.error()).isEqualTo(IoError.CHANNEL_READ_WOULD_EXCEED_WINDOW));
        assertThat(middle.reads).isEmpty();
        assertThat(middleSlot.windowSize()).isEqualTo(10);
    }

    @Test
    void withoutBackPressureWindowsAreUnbounded() throws Exception {
        TestingChannel plain = new TestingChannel(false);
        RecordingHandler handler = new RecordingHandler("app", plain.log);
        handler.initialWindow = 10;
        plain.installDownstream(handler);
        plain.drain();
        assertThat(plain.channel.firstSlot().downstreamReadWindow()).isEqualTo(Long.MAX_VALUE);
        assertThat(plain.source.windowIncrementCalls).isZero();
        plain.pushRead(new byte[100]);
        assertThat(handler.reads).hasSize(1);
    }
}
