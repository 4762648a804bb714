package io.reseau.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reseau.eventloop.ManualEventLoop;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MessagePoolTest {
    private final ManualEventLoop loop = new ManualEventLoop();
    private final MessagePool pool = MessagePool.PER_LOOP.get(loop);

    @Test
    void sizeHintsPickSmallOrApplicationMessagesCappedAtSixteenKib() {
        IoMessage small = pool.acquire(100, null);
        IoMessage large = pool.acquire(129, null);
        IoMessage huge = pool.acquire(1 << 20, null);
        assertThat(small.capacity()).isEqualTo(100);
        assertThat(small.buffer().byteSize()).isEqualTo(MessagePool.SMALL_MESSAGE_SIZE);
        assertThat(large.capacity()).isEqualTo(129);
        assertThat(large.buffer().byteSize()).isEqualTo(MessagePool.MAX_FRAGMENT_SIZE);
        assertThat(huge.capacity()).isEqualTo(MessagePool.MAX_FRAGMENT_SIZE);
        assertThatThrownBy(() -> pool.acquire(0, null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void releasedMessagesAreReusedWithoutNewNativeMemory() {
        IoMessage first = pool.acquire(4096, null);
        long bytes = pool.nativeBytes();
        first.setLength(10);
        first.setTag(IoMessage.TAG_TLS_NEGOTIATED_PROTOCOL);
        first.release();
        Set<IoMessage> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            IoMessage message = pool.acquire(4096, null);
            assertThat(message.length()).isZero();
            assertThat(message.tag()).isEqualTo(IoMessage.TAG_APPLICATION_DATA);
            seen.add(message);
            message.release();
        }
        assertThat(seen).hasSize(1);
        assertThat(pool.nativeBytes()).isEqualTo(bytes);
        assertThat(pool.messagesInUse()).isZero();
        IoMessage held = pool.acquire(10, null);
        assertThat(pool.messagesInUse()).isEqualTo(1);
        held.release();
    }

    @Test
    void aBurstOnceOverLeavesAtMostTheIdleLimitOfEachSize() {
        long idleLimit = 0;
        for (int size : new int[] {MessagePool.MAX_FRAGMENT_SIZE, MessagePool.SMALL_MESSAGE_SIZE}) {
            java.util.List<IoMessage> burst = new java.util.ArrayList<>();
            for (int i = 0; i < 1_000; i++) {
                burst.add(pool.acquire(size, null));
            }
            assertThat(pool.nativeBytes()).isGreaterThanOrEqualTo(1_000L * size);
            java.util.Collections.shuffle(burst, new java.util.Random(size)); // back in any order
            burst.forEach(IoMessage::release);
            idleLimit += (long) MessagePool.IDLE_LIMIT * size;
            assertThat(pool.idleBytes()).as("idle after %d-byte messages", size).isLessThanOrEqualTo(idleLimit);
        }
        assertThat(pool.nativeBytes()).isEqualTo(pool.idleBytes());
        assertThat(pool.messagesInUse()).isZero();
    }

    @Test
    void aMessageWhoseSlabWasFreedFailsOnAccessInsteadOfTouchingFreedMemory() {
        java.util.List<IoMessage> burst = new java.util.ArrayList<>();
        for (int i = 0; i < MessagePool.IDLE_LIMIT + 2 * MessagePool.MESSAGES_PER_SLAB; i++) {
            burst.add(pool.acquire(4096, null));
        }
        burst.forEach(IoMessage::release);
        assertThat(burst).anySatisfy(stale -> assertThatThrownBy(() -> stale.buffer().get(java.lang.foreign.ValueLayout.JAVA_BYTE, 0))
                .isInstanceOf(IllegalStateException.class));
    }

    @Test
    void releasingTwiceIsRefused() {
        IoMessage message = pool.acquire(64, null);
        message.release();
        assertThatThrownBy(message::release).isInstanceOf(IllegalStateException.class).hasMessageContaining("twice");
    }

    @Test
    void threadsMayAcquireAndReleaseConcurrently() throws Exception {
        java.util.List<Thread> threads = new java.util.ArrayList<>();
        java.util.concurrent.atomic.AtomicInteger failures = new java.util.concurrent.atomic.AtomicInteger();
        for (int t = 0; t < 8; t++) {
            threads.add(Thread.ofVirtual().start(() -> {
                for (int i = 0; i < 20_000; i++) {
                    IoMessage message = pool.acquire(i % 2 == 0 ? 64 : 4096, null);
                    message.buffer().set(java.lang.foreign.ValueLayout.JAVA_INT, 0, i);
                    Thread.yield();
                    if (message.buffer().get(java.lang.foreign.ValueLayout.JAVA_INT, 0) != i) {
                        failures.incrementAndGet(); // someone else holds the same message
                    }
                    message.release();
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(failures).hasValue(0);
    }

    @Test
    void destroyingTheLoopFreesThePoolAndStaleMessagesFailSafely() {
        IoMessage held = pool.acquire(64, null);
        loop.destroy();
        assertThatThrownBy(() -> held.buffer().get(java.lang.foreign.ValueLayout.JAVA_BYTE, 0))
                .isInstanceOf(IllegalStateException.class);
        held.release(); // harmless: the memory went with the loop
        assertThatThrownBy(() -> pool.acquire(64, null)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void lengthAndCopyMarkStayWithinTheMessage() {
        IoMessage message = pool.acquire(64, null);
        assertThatThrownBy(() -> message.setLength(65)).isInstanceOf(IndexOutOfBoundsException.class);
        message.setLength(10);
        assertThat(message.remaining()).isEqualTo(54);
        assertThatThrownBy(() -> message.setCopyMark(11)).isInstanceOf(IndexOutOfBoundsException.class);
        message.release();
    }
}
