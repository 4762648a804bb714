package io.reseau.internal.ffi;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LibcTest {

    @Test
    void pipeCarriesBytesAndReportsEagainWhenEmpty() {
        try (NativePipe pipe = new NativePipe()) {
            assertThat(pipe.read(16)).isEmpty();
            pipe.write("hello".getBytes(StandardCharsets.US_ASCII));
            assertThat(new String(pipe.read(16), StandardCharsets.US_ASCII)).isEqualTo("hello");
            assertThat(pipe.read(16)).isEmpty();
        }
    }

    @Test
    void pipe2AppliesNonBlockingAndCloseOnExec() {
        try (NativePipe pipe = new NativePipe()) {
            assertThat(Libc.fcntl(pipe.readFd, Libc.F_GETFL, 0) & Libc.O_NONBLOCK).isNotZero();
            assertThat(Libc.fcntl(pipe.readFd, Libc.F_GETFD, 0) & Libc.FD_CLOEXEC).isNotZero();
        }
    }

    @Test
    void fcntlSetsAndClearsFlags() {
        try (NativePipe pipe = new NativePipe()) {
            int flags = Libc.fcntl(pipe.writeFd, Libc.F_GETFL, 0);
            assertThat(Libc.fcntl(pipe.writeFd, Libc.F_SETFL, flags & ~Libc.O_NONBLOCK)).isZero();
            assertThat(Libc.fcntl(pipe.writeFd, Libc.F_GETFL, 0) & Libc.O_NONBLOCK).isZero();
        }
    }

    @Test
    void closedDescriptorReportsEbadf() {
        NativePipe pipe = new NativePipe();
        pipe.close();
        try (Arena arena = Arena.ofConfined()) {
            assertThat(Libc.read(pipe.readFd, arena.allocate(8), 8)).isEqualTo(-Errno.EBADF);
            assertThat(Libc.close(pipe.readFd)).isEqualTo(-Errno.EBADF);
        }
    }

    @Test
    void writevGathersAndReadvScatters() {
        try (NativePipe pipe = new NativePipe(); Arena arena = Arena.ofConfined()) {
            MemorySegment first = arena.allocateFrom("abc");
            MemorySegment second = arena.allocateFrom("defg");
            MemorySegment out = arena.allocate(Libc.IOVEC, 2);
            setIovec(out, 0, first, 3);
            setIovec(out, 1, second, 4);
            assertThat(Libc.writev(pipe.writeFd, out, 2)).isEqualTo(7);

            MemorySegment a = arena.allocate(2);
            MemorySegment b = arena.allocate(8);
            MemorySegment in = arena.allocate(Libc.IOVEC, 2);
            setIovec(in, 0, a, 2);
            setIovec(in, 1, b, 8);
            assertThat(Libc.readv(pipe.readFd, in, 2)).isEqualTo(7);
            assertThat(new String(a.toArray(JAVA_BYTE), StandardCharsets.US_ASCII)).isEqualTo("ab");
            assertThat(new String(b.asSlice(0, 5).toArray(JAVA_BYTE), StandardCharsets.US_ASCII)).isEqualTo("cdefg");
        }
    }

    @Test
    void eventfdCountsWritesAndResetsOnRead() {
        int fd = Libc.eventfd(0, Libc.EFD_NONBLOCK | Libc.EFD_CLOEXEC);
        assertThat(fd).isNotNegative();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment value = arena.allocate(JAVA_LONG);
            assertThat(Libc.eventfdRead(fd, value)).as("empty eventfd").isEqualTo(-1);
            assertThat(Libc.eventfdWrite(fd, 1)).isZero();
            assertThat(Libc.eventfdWrite(fd, 2)).isZero();
            assertThat(Libc.eventfdRead(fd, value)).isZero();
            assertThat(value.get(JAVA_LONG, 0)).isEqualTo(3);
            assertThat(Libc.eventfdRead(fd, value)).isEqualTo(-1);
        } finally {
            Libc.close(fd);
        }
    }

    @Test
    void errnoIsCapturedPerThreadEvenWhenAnotherThreadFailsDifferently() throws Exception {
        // A virtual thread's failure must not leak into this thread's result.
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(JAVA_INT);
            Thread other = Thread.ofVirtual().start(() -> {
                for (int i = 0; i < 10_000; i++) {
                    Libc.close(-1);
                }
            });
            try (NativePipe pipe = new NativePipe()) {
                for (int i = 0; i < 10_000; i++) {
                    assertThat(Libc.read(pipe.readFd, buffer, 4)).isEqualTo(-Errno.EAGAIN);
                }
            }
            other.join();
        }
    }

    @Test
    void hotPathCallsAllocateNothingOnceCompiled() {
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        try (NativePipe pipe = new NativePipe(); Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(64);
            long fewest = Long.MAX_VALUE;
            // The first rounds run interpreted; once compiled, a call must not allocate at all
            // (no boxing, no capture segment per call). Boxing would cost >= 16 bytes per call.
            for (int round = 0; round < 8; round++) {
                long before = threads.getCurrentThreadAllocatedBytes();
                for (int i = 0; i < 100_000; i++) {
                    if (Libc.read(pipe.readFd, buffer, 64) != -Errno.EAGAIN
                            || Libc.write(-1, buffer, 1) != -Errno.EBADF) {
                        throw new AssertionError("unexpected result");
                    }
                }
                fewest = Math.min(fewest, threads.getCurrentThreadAllocatedBytes() - before);
            }
            assertThat(fewest).as("bytes allocated by 200,000 calls").isZero();
        }
    }

    @Test
    void setenvChangesTheEnvironmentNativeCodeReads() throws Throwable {
        assertThat(Libc.setenv("RESEAU_LIBC_TEST", "42", true)).isZero();
        assertThat(nativeGetenv("RESEAU_LIBC_TEST")).isEqualTo("42");
        assertThat(Libc.setenv("RESEAU_LIBC_TEST", "43", false)).isZero();
        assertThat(nativeGetenv("RESEAU_LIBC_TEST")).as("overwrite=false keeps the value").isEqualTo("42");
        assertThat(Libc.setenv("", "x", true)).isEqualTo(-Errno.EINVAL);
    }


    @SuppressWarnings("restricted") // a test-only downcall
    private static String nativeGetenv(String name) throws Throwable {
        Linker linker = Linker.nativeLinker();
        MethodHandle getenv = linker.downcallHandle(linker.defaultLookup().find("getenv").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment value = (MemorySegment) getenv.invokeExact(arena.allocateFrom(name));
            return value.equals(MemorySegment.NULL) ? null : value.reinterpret(256).getString(0);
        }
    }

    private static void setIovec(MemorySegment iovecs, int index, MemorySegment base, long length) {
        MemorySegment entry = iovecs.asSlice(index * Libc.IOVEC.byteSize(), Libc.IOVEC.byteSize());
        entry.set(java.lang.foreign.ValueLayout.ADDRESS, 0, base);
        entry.set(JAVA_LONG, 8, length);
    }
}
