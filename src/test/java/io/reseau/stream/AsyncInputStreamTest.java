package io.reseau.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reseau.common.IoError;
import io.reseau.future.IoFuture;
import io.reseau.stream.AsyncInputStreamTester.Completion;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** aws-c-io's async_stream_test.c, and the rules its async_stream.c enforces. */
@Timeout(30)
class AsyncInputStreamTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private static String contents(ByteBuffer buffer) {
        return new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Completion.class)
    void readToFillFillsTheBufferThenReportsTheEnd(Completion completion) throws Exception {
        try (AsyncInputStreamTester stream = new AsyncInputStreamTester(
                InputStreamTesterOptions.streaming("123456789").maxBytesPerRead(1), completion)) {
            ByteBuffer buffer = ByteBuffer.allocate(5);
            IoFuture<Boolean> fill = stream.readToFill(buffer);
            assertThat(fill.get(WAIT)).as("not at the end yet").isFalse();
            assertThat(contents(buffer)).isEqualTo("12345");

            fill = stream.readToFill(buffer.clear());
            assertThat(fill.get(WAIT)).isTrue();
            assertThat(contents(buffer)).isEqualTo("6789");
        }
    }

    @Test
    void readToFillNeedsOneMoreReadToLearnOfTheEnd() throws Exception {
        try (AsyncInputStreamTester stream = new AsyncInputStreamTester(
                InputStreamTesterOptions.streaming("123456789").eofRequiresExtraRead(), Completion.IMMEDIATELY)) {
            ByteBuffer buffer = ByteBuffer.allocate(9);
            assertThat(stream.readToFill(buffer).get(WAIT)).as("full, the end not known yet").isFalse();
            assertThat(contents(buffer)).isEqualTo("123456789");
            assertThat(stream.readToFill(buffer.clear()).get(WAIT)).isTrue();
            assertThat(buffer.position()).isZero();
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Completion.class)
    void readToFillReportsAFailedRead(Completion completion) throws Exception {
        try (AsyncInputStreamTester stream = new AsyncInputStreamTester(InputStreamTesterOptions.streaming("123456789")
                .maxBytesPerRead(1).failOnRead(2, IoError.SOCKET_CLOSED), completion)) {
            IoFuture<Boolean> fill = stream.readToFill(ByteBuffer.allocate(512));
            assertThat(fill.await(WAIT)).isTrue();
            assertThat(fill.error()).isEqualTo(IoError.SOCKET_CLOSED);
        }
    }

    // ---- beyond aws-c-io's tests ----

    @Test
    void aReadIntoAFullBufferFailsWithShortBuffer() throws Exception {
        try (AsyncInputStreamTester stream = new AsyncInputStreamTester(
                InputStreamTesterOptions.streaming("abc"), Completion.IMMEDIATELY)) {
            ByteBuffer full = ByteBuffer.allocate(2).position(2);
            assertThat(stream.read(full).error()).isEqualTo(IoError.SHORT_BUFFER);
            assertThat(stream.readToFill(full).error()).isEqualTo(IoError.SHORT_BUFFER);
            assertThat(stream.totalBytesRead()).as("the stream was not asked").isZero();
        }
    }

    @Test
    void readCompletesOnceItHasBytesOrTheEnd() throws Exception {
        try (AsyncInputStreamTester stream = new AsyncInputStreamTester(InputStreamTesterOptions.streaming("abcdef")
                .maxBytesPerRead(4).readZeroBytesOnRead(1), Completion.ON_ANOTHER_THREAD)) {
            ByteBuffer buffer = ByteBuffer.allocate(16);
            assertThat(stream.read(buffer).get(WAIT)).isFalse();
            assertThat(contents(buffer)).as("a read of nothing is not a completion").isEqualTo("abcd");
            assertThat(stream.read(buffer).get(WAIT)).isTrue();
            assertThat(contents(buffer)).isEqualTo("abcdef");
        }
    }

    /** A stream whose reads complete when the test says. */
    private static final class ManualStream extends AsyncInputStream {
        IoFuture<Boolean> read;
        ByteBuffer destination;

        @Override
        protected IoFuture<Boolean> readSome(ByteBuffer into) {
            destination = into;
            read = IoFuture.create();
            return read;
        }

        void complete(String bytes, boolean end) {
            destination.put(bytes.getBytes(StandardCharsets.US_ASCII));
            read.setResult(end);
        }
    }

    @Test
    void oneReadAtATime() {
        ManualStream stream = new ManualStream();
        ByteBuffer buffer = ByteBuffer.allocate(8);
        IoFuture<Boolean> first = stream.read(buffer);
        assertThatThrownBy(() -> stream.read(buffer)).isInstanceOf(IllegalStateException.class)
                .hasMessage("a read is still outstanding");
        assertThatThrownBy(() -> stream.readToFill(buffer)).isInstanceOf(IllegalStateException.class);
        stream.complete("ab", false);
        assertThat(first.result()).isFalse();

        IoFuture<Boolean> fill = stream.readToFill(buffer);
        stream.complete("cd", false);
        assertThat(fill.isDone()).as("not full yet").isFalse();
        assertThatThrownBy(() -> stream.read(buffer)).as("while readToFill goes on").isInstanceOf(IllegalStateException.class);
        stream.complete("efgh", false);
        assertThat(fill.result()).isFalse();
        assertThat(contents(buffer)).isEqualTo("abcdefgh");
        assertThat(stream.read(buffer.clear()).isDone()).as("allowed again once it completed").isFalse();
    }

    @Test
    void readToFillDoesNotRecurseThroughReadsThatCompleteAtOnce() throws Exception {
        // A million one-byte reads, each complete before read() returns: recursing through them
        // would take far more stack than a thread has.
        int length = 1_000_000;
        try (AsyncInputStreamTester stream = new AsyncInputStreamTester(InputStreamTesterOptions
                .generating(length, InputStreamTesterOptions.Autogen.NUMBERS).maxBytesPerRead(1), Completion.IMMEDIATELY)) {
            ByteBuffer buffer = ByteBuffer.allocate(length);
            IoFuture<Boolean> fill = stream.readToFill(buffer);
            assertThat(fill.isDone()).isTrue();
            assertThat(fill.result()).as("the last byte's read knew it was the last").isTrue();
            assertThat(buffer.position()).isEqualTo(length);
            assertThat(buffer.get(length - 1)).isEqualTo((byte) '0');
        }
    }

    @Test
    void readToFillOverReadsCompletingHereAndThere() throws Exception {
        InputStreamTesterOptions options = InputStreamTesterOptions
                .generating(100_000, InputStreamTesterOptions.Autogen.LOREM_IPSUM).maxBytesPerRead(97);
        try (AsyncInputStreamTester stream = new AsyncInputStreamTester(options, Completion.ON_RANDOM_THREAD)) {
            ByteBuffer buffer = ByteBuffer.allocate(150_000);
            assertThat(stream.readToFill(buffer).get(WAIT)).isTrue();
            assertThat(buffer.flip()).isEqualTo(ByteBuffer.wrap(options.generated()));
        }
    }

    @Test
    void readToFillReportsAReadThatThrows() throws IOException {
        AsyncInputStream broken = new AsyncInputStream() {
            @Override
            protected IoFuture<Boolean> readSome(ByteBuffer destination) {
                throw new IllegalStateException("bug");
            }
        };
        IoFuture<Boolean> fill = broken.readToFill(ByteBuffer.allocate(4));
        assertThat(fill.error()).isEqualTo(IoError.UNKNOWN);
        assertThatThrownBy(fill::get).hasRootCauseMessage("bug");
        broken.close();
    }
}
