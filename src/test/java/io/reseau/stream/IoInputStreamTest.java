package io.reseau.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reseau.common.IoError;
import io.reseau.common.IoErrorException;
import io.reseau.testing.FdCount;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** aws-c-io's stream_test.c for the memory and file streams, and the java.io adapters. */
class IoInputStreamTest {
    private static final byte[] SIMPLE = "SimpleTest".getBytes(StandardCharsets.US_ASCII);
    /** 0x1A is Windows' end-of-file character: binary reads must not stop at it. */
    private static final byte[] BINARY = {'a', 'b', 'c', 'd', 'e', 'f', 0x1A, 'g', 'h', 'i', 'j', 'k'};

    @TempDir
    Path directory;

    /** The two streams aws-c-io's tests run alike: over bytes in memory, and over a file. */
    enum Kind { MEMORY, FILE }

    private IoInputStream open(Kind kind, byte[] contents) throws IOException {
        return kind == Kind.MEMORY ? IoInputStream.of(contents)
                : IoInputStream.ofFile(Files.write(directory.resolve("stream.dat"), contents));
    }

    private IoInputStream memoryStream() {
        return IoInputStream.of(SIMPLE);
    }

    /** Reads the stream through a buffer of {@code bufferSize} until its status says it ended. */
    private static byte[] readToEnd(IoInputStream stream, int bufferSize) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(bufferSize);
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        assertThat(stream.status().endOfStream()).isFalse();
        while (!stream.status().endOfStream()) {
            stream.read(buffer);
            all.write(buffer.array(), 0, buffer.position());
            buffer.clear();
        }
        return all.toByteArray();
    }

    /** Seeks, then reads what is there into a large buffer. */
    private static String seekAndRead(IoInputStream stream, long offset, SeekBasis basis) throws IOException {
        stream.seek(offset, basis);
        ByteBuffer buffer = ByteBuffer.allocate(1024);
        stream.read(buffer);
        return new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII);
    }

    @ParameterizedTest(name = "{0}, buffer of {1}")
    @CsvSource({"MEMORY, 100", "MEMORY, 2", "FILE, 100", "FILE, 2"})
    void readsEverything(Kind kind, int bufferSize) throws IOException {
        try (IoInputStream stream = open(kind, SIMPLE)) {
            assertThat(readToEnd(stream, bufferSize)).isEqualTo(SIMPLE);
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Kind.class)
    void seeksFromTheBeginning(Kind kind) throws IOException {
        try (IoInputStream stream = open(kind, SIMPLE)) {
            assertThat(seekAndRead(stream, 5, SeekBasis.BEGIN)).isEqualTo("eTest");
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Kind.class)
    void seeksFromTheEnd(Kind kind) throws IOException {
        try (IoInputStream stream = open(kind, SIMPLE)) {
            assertThat(seekAndRead(stream, -3, SeekBasis.END)).isEqualTo("est");
        }
    }

    @Test
    void memoryStreamSeeksMultipleTimes() throws IOException {
        IoInputStream stream = IoInputStream.of("0123456789".getBytes(StandardCharsets.US_ASCII));
        ByteBuffer one = ByteBuffer.allocate(1);
        StringBuilder read = new StringBuilder();
        long[][] seeks = {{2, 0}, {4, 0}, {-1, 2}, {-1, 2}, {4, 0}};
        for (long[] seek : seeks) {
            stream.seek(seek[0], seek[1] == 0 ? SeekBasis.BEGIN : SeekBasis.END);
            one.clear();
            stream.read(one);
            read.append((char) one.get(0));
        }
        assertThat(read).hasToString("24994");
    }

    @Test
    void memoryStreamRefusesToSeekPastTheEnd() throws IOException {
        IoInputStream stream = memoryStream();
        stream.seek(3, SeekBasis.BEGIN);
        assertSeekRefused(stream, 13, SeekBasis.BEGIN);
        assertSeekRefused(stream, 1, SeekBasis.END);
        assertThat(seekAndRead(stream, 0, SeekBasis.END)).as("the end itself is a position").isEmpty();
        assertThat(seekAndRead(stream, 10, SeekBasis.BEGIN)).isEmpty();
    }

    @Test
    void memoryStreamRefusesToSeekBeforeTheStart() throws IOException {
        IoInputStream stream = memoryStream();
        stream.seek(3, SeekBasis.BEGIN);
        assertSeekRefused(stream, -13, SeekBasis.END);
        assertSeekRefused(stream, -1, SeekBasis.BEGIN);
        assertSeekRefused(stream, Long.MIN_VALUE, SeekBasis.END);
        ByteBuffer buffer = ByteBuffer.allocate(100);
        stream.read(buffer);
        assertThat(buffer.position()).as("a refused seek leaves the position alone").isEqualTo(7);
        assertThat(seekAndRead(stream, -10, SeekBasis.END)).isEqualTo("SimpleTest");
    }

    private static void assertSeekRefused(IoInputStream stream, long offset, SeekBasis basis) {
        assertThatThrownBy(() -> stream.seek(offset, basis)).isInstanceOf(IoErrorException.class)
                .satisfies(e -> assertThat(((IoErrorException) e).error()).isEqualTo(IoError.STREAM_INVALID_SEEK_POSITION));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Kind.class)
    void lengthDoesNotChangeWithSeeking(Kind kind) throws IOException {
        try (IoInputStream stream = open(kind, SIMPLE)) {
            assertThat(stream.length()).isEqualTo(SIMPLE.length);
            stream.seek(3, SeekBasis.BEGIN);
            assertThat(stream.length()).isEqualTo(SIMPLE.length);
        }
    }

    @Test
    void fileStreamReadsBinaryContents() throws IOException {
        try (IoInputStream stream = open(Kind.FILE, BINARY)) {
            assertThat(readToEnd(stream, 100)).isEqualTo(BINARY);
        }
    }

    @Test
    void fileStreamReadsAReadOnlyFile() throws IOException {
        Path file = Files.write(directory.resolve("read-only.txt"), SIMPLE);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--r--r--"));
        try (IoInputStream stream = IoInputStream.ofFile(file)) {
            assertThat(readToEnd(stream, 100)).isEqualTo(SIMPLE);
        }
    }

    // ---- rules aws-c-io's stream.c enforces without a test of their own ----

    @Test
    void readAppendsAfterWhatTheBufferHoldsAndNeverGrowsIt() throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(8).put("ab".getBytes(StandardCharsets.US_ASCII)).limit(5);
        memoryStream().read(buffer);
        assertThat(buffer.position()).isEqualTo(5);
        assertThat(buffer.limit()).isEqualTo(5);
        assertThat(new String(buffer.array(), StandardCharsets.US_ASCII)).isEqualTo("abSim\0\0\0");
    }

    @Test
    void aFullBufferIsAnsweredWithoutAskingTheStream() throws IOException {
        InputStreamTester tester = new InputStreamTester(InputStreamTesterOptions.streaming("abc").failOnRead(1, IoError.STREAM_READ_FAILED));
        ByteBuffer full = ByteBuffer.allocate(2).position(2);
        tester.read(full); // the tester's first read would fail
        assertThat(full.position()).isEqualTo(2);
    }

    @Test
    void aFailedReadLeavesTheBufferAsItWas() {
        IoInputStream failingMidway = new IoInputStream() {
            @Override
            public void seek(long offset, SeekBasis basis) {
            }

            @Override
            protected void readInto(ByteBuffer free) throws IoErrorException {
                free.put((byte) 'x');
                throw new IoErrorException(IoError.STREAM_READ_FAILED, "after writing a byte");
            }

            @Override
            public StreamStatus status() {
                return new StreamStatus(false, false);
            }

            @Override
            public long length() {
                return 0;
            }
        };
        ByteBuffer buffer = ByteBuffer.allocate(4).put((byte) 'a');
        assertThatThrownBy(() -> failingMidway.read(buffer)).isInstanceOf(IoErrorException.class);
        assertThat(buffer.position()).isEqualTo(1);
    }

    @Test
    void theEndOfAFileIsKnownOnceAReadHitsItAndASeekForgetsIt() throws IOException {
        try (IoInputStream stream = open(Kind.FILE, SIMPLE)) {
            ByteBuffer exact = ByteBuffer.allocate(SIMPLE.length);
            stream.read(exact);
            assertThat(stream.status()).as("filled, not past the end").isEqualTo(new StreamStatus(false, true));
            stream.read(exact.clear());
            assertThat(exact.position()).isZero();
            assertThat(stream.status().endOfStream()).isTrue();
            stream.seek(0, SeekBasis.BEGIN);
            assertThat(stream.status().endOfStream()).isFalse();
            assertThat(seekAndRead(stream, 20, SeekBasis.BEGIN)).as("past the end, as fseek allows").isEmpty();
            assertThat(stream.status().endOfStream()).isTrue();
            assertSeekRefused(stream, -11, SeekBasis.END);
        }
    }

    @Test
    void aFileIsOpenedOnFirstUseAndClosedOnClose() throws IOException {
        Path file = Files.write(directory.resolve("lazy.txt"), SIMPLE);
        long before = FdCount.now();
        IoInputStream stream = IoInputStream.ofFile(file);
        assertThat(FdCount.now()).as("not opened yet").isEqualTo(before);
        assertThat(stream.status()).isEqualTo(new StreamStatus(false, true));
        assertThat(stream.length()).isEqualTo(SIMPLE.length);
        assertThat(FdCount.now()).isEqualTo(before + 1);
        stream.close();
        assertThat(FdCount.now()).isEqualTo(before);
        assertThatThrownBy(() -> stream.read(ByteBuffer.allocate(1))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aMissingFileFailsItsFirstUse() {
        IoInputStream stream = IoInputStream.ofFile(directory.resolve("missing"));
        assertThatThrownBy(() -> stream.read(ByteBuffer.allocate(1))).isInstanceOf(IoErrorException.class)
                .satisfies(e -> assertThat(((IoErrorException) e).error()).isEqualTo(IoError.FILE_INVALID_PATH));
    }

    @Test
    void aByteBufferStreamReadsFromPositionToLimitAndLeavesTheBufferAlone() throws IOException {
        ByteBuffer source = ByteBuffer.wrap("xxSimpleTestyy".getBytes(StandardCharsets.US_ASCII)).position(2).limit(12);
        IoInputStream stream = IoInputStream.of(source);
        assertThat(stream.length()).isEqualTo(10);
        assertThat(readToEnd(stream, 3)).isEqualTo(SIMPLE);
        assertThat(source.position()).isEqualTo(2);
        assertThat(source.limit()).isEqualTo(12);
    }

    // ---- java.io adapters ----

    @Test
    void asAJavaInputStream() throws IOException {
        InputStreamTesterOptions options = InputStreamTesterOptions.generating(10_000, InputStreamTesterOptions.Autogen.ALPHABET)
                .maxBytesPerRead(7).readZeroBytesOnRead(3);
        try (InputStream in = new InputStreamTester(options).asInputStream()) {
            assertThat(in.read()).isEqualTo('a');
            assertThat(in.readAllBytes()).hasSize(9_999).startsWith("bcdefg".getBytes(StandardCharsets.US_ASCII));
            assertThat(in.read()).isEqualTo(-1);
        }
    }

    @Test
    void aJavaInputStreamAsAStream() throws IOException {
        boolean[] closed = {false};
        InputStream in = new ByteArrayInputStream(SIMPLE) {
            @Override
            public void close() {
                closed[0] = true;
            }
        };
        try (IoInputStream stream = IoInputStream.of(in)) {
            assertThat(readToEnd(stream, 4)).isEqualTo(SIMPLE);
            assertThat(stream.status()).isEqualTo(new StreamStatus(true, true));
            assertThatThrownBy(() -> stream.seek(0, SeekBasis.BEGIN)).isInstanceOf(IoErrorException.class)
                    .satisfies(e -> assertThat(((IoErrorException) e).error()).isEqualTo(IoError.STREAM_SEEK_UNSUPPORTED));
            assertThatThrownBy(stream::length).isInstanceOf(IoErrorException.class)
                    .satisfies(e -> assertThat(((IoErrorException) e).error()).isEqualTo(IoError.STREAM_GET_LENGTH_UNSUPPORTED));
        }
        assertThat(closed[0]).isTrue();
    }

    @Test
    void aJavaInputStreamReadsIntoADirectBuffer() throws IOException {
        IoInputStream stream = IoInputStream.of(new ByteArrayInputStream(SIMPLE));
        ByteBuffer direct = ByteBuffer.allocateDirect(32);
        while (!stream.status().endOfStream()) {
            stream.read(direct);
        }
        byte[] read = new byte[direct.flip().remaining()];
        direct.get(read);
        assertThat(read).isEqualTo(SIMPLE);
    }

    @Test
    void aFailingJavaInputStreamMakesTheStreamInvalid() throws IOException {
        IoInputStream stream = IoInputStream.of(new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("broken");
            }
        });
        assertThatThrownBy(() -> stream.read(ByteBuffer.allocate(4))).isInstanceOf(IoErrorException.class)
                .hasRootCauseMessage("broken")
                .satisfies(e -> assertThat(((IoErrorException) e).error()).isEqualTo(IoError.STREAM_READ_FAILED));
        assertThat(stream.status().valid()).isFalse();
        assertThat(stream.status().endOfStream()).isFalse();
    }
}
