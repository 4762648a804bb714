package io.reseau.testing;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * This process's descriptor limit lowered and its free descriptors taken, so that the next
 * descriptor anything opens fails with EMFILE, as in a server that ran out of them; {@link #free()}
 * gives them back, {@link #close()} also restores the limit. Keep the window short: every thread of
 * the JVM shares the limit.
 */
public final class DescriptorLimit implements AutoCloseable {
    private static final int RLIMIT_NOFILE = 7; // Linux
    private static final MethodHandle GETRLIMIT = rlimitCall("getrlimit");
    private static final MethodHandle SETRLIMIT = rlimitCall("setrlimit");

    private final long soft;
    private final long hard;
    private final List<FileChannel> taken = new ArrayList<>();

    private DescriptorLimit(long soft, long hard) {
        this.soft = soft;
        this.hard = hard;
    }

    /**
     * Lowers the soft limit a little above the descriptors open now, then opens /dev/null until none
     * is left. Reseau's classes are loaded first (see {@link ReseauClasses}).
     */
    public static DescriptorLimit exhausted() {
        ReseauClasses.loadAll();
        long[] limits = get();
        DescriptorLimit limit = new DescriptorLimit(limits[0], limits[1]);
        set(FdCount.now() + 16, limits[1]);
        try {
            while (true) {
                limit.taken.add(FileChannel.open(Path.of("/dev/null")));
            }
        } catch (IOException expected) {
            if (!String.valueOf(expected.getMessage()).contains("Too many open files")) {
                limit.close();
                throw new IllegalStateException("expected EMFILE, got " + expected, expected);
            }
        }
        return limit;
    }

    /** Closes the descriptors taken; the lowered limit stays until {@link #close()}. */
    public void free() {
        for (FileChannel channel : taken) {
            try {
                channel.close();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        taken.clear();
    }

    @Override
    public void close() {
        free();
        set(soft, hard);
    }

    private static long[] get() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment rlimit = arena.allocate(2 * Long.BYTES);
            check((int) GETRLIMIT.invokeExact(RLIMIT_NOFILE, rlimit), "getrlimit");
            return new long[] {rlimit.get(JAVA_LONG, 0), rlimit.get(JAVA_LONG, Long.BYTES)};
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static void set(long newSoft, long newHard) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment rlimit = arena.allocate(2 * Long.BYTES);
            rlimit.set(JAVA_LONG, 0, newSoft);
            rlimit.set(JAVA_LONG, Long.BYTES, newHard);
            check((int) SETRLIMIT.invokeExact(RLIMIT_NOFILE, rlimit), "setrlimit");
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static void check(int rc, String call) {
        if (rc != 0) {
            throw new IllegalStateException(call + " failed");
        }
    }

    private static MethodHandle rlimitCall(String name) {
        Linker linker = Linker.nativeLinker();
        return linker.downcallHandle(linker.defaultLookup().find(name).orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
    }
}
