package io.reseau.cli.bench;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * E, memory per idle connection, measured in a JVM of its own per stack, so that neither what
 * other scenarios left behind nor the other stacks' code and threads count against it. D4 measures
 * idle TLS connections the same way, on the TLS stacks.
 *
 * <p>A connection's cost is the growth of the heap in use after a full GC plus the growth of the
 * C heap in use (glibc's {@code mallinfo2}: what s2n, BoringSSL, the JDK's native code and pooled
 * segments hold), over opening the connections (both ends), divided by their number. The resident
 * size measured that badly: memory a warm-up freed is reused without growing it, and what the JIT
 * allocates meanwhile grows it, so it swung from 1 to 19 KB per connection between runs. Where the
 * C library has no {@code mallinfo2} (musl) the resident size stands in, the heap then fixed and
 * touched up front ({@code -Xms = -Xmx}, {@code AlwaysPreTouch}) so that it grows with native
 * memory only.
 *
 * <p>Warm-ups first open and close as many connections, so that what the JVM itself grows by on
 * first use (compiled code, loaded classes, threads) is not counted against them; TLS connections
 * warm up twice, as a few hundred handshakes leave the JIT compiling. The figures are the medians
 * of {@value #ROUNDS} measurements: a compilation that ends during one still moves it.
 */
public final class IdleMemoryProbe {
    private static final String RESULT_PREFIX = "idle-memory:";
    private static final String HEAP = "768m";
    private static final String TLS = "tls";
    private static final int ROUNDS = 3;

    private IdleMemoryProbe() {}

    /** Opens idle connections on some stack: {@link Stack#openIdle} or {@link TlsStack#openIdle}. */
    @FunctionalInterface
    interface IdleConnections {
        AutoCloseable open(int count) throws Exception;
    }

    /** Child entry point: {@code <stack> <count>} or {@code <stack> <count> tls}; prints one result line. */
    public static void main(String[] args) throws Exception {
        String stackName = args[0];
        int count = Integer.parseInt(args[1]);
        boolean tls = args.length > 2 && args[2].equals(TLS);
        try (AutoCloseable stack = tls ? TlsStacks.named(stackName).create() : Stacks.named(stackName).create()) {
            Results.Memory memory = tls ? measure(((TlsStack) stack)::openIdle, count, 2)
                    : measure(((Stack) stack)::openIdle, count, 1);
            System.out.println(RESULT_PREFIX + " " + memory.heapBytesPerConnection() + " " + memory.nativeBytesPerConnection());
        }
        System.exit(0); // the stack's daemon threads must not keep the child alive
    }

    /**
     * Measures in this JVM; meaningful only in a JVM set up as {@link #inChildJvm} sets it up.
     *
     * @param warmUps how many times to open and close {@code count} connections first
     */
    static Results.Memory measure(IdleConnections stack, int count, int warmUps) throws Exception {
        for (int i = 0; i < warmUps; i++) {
            warmUp(stack, count);
        }
        long[] heap = new long[ROUNDS];
        long[] nativeBytes = new long[ROUNDS];
        for (int round = 0; round < ROUNDS; round++) {
            long heapBefore = settledHeapInUse();
            long nativeBefore = nativeInUse();
            try (AutoCloseable open = stack.open(count)) {
                heap[round] = heapInUseAfterGc() - heapBefore;
                nativeBytes[round] = nativeInUse() - nativeBefore;
            }
        }
        return new Results.Memory(count, Math.max(0, median(heap)) / count, Math.max(0, median(nativeBytes)) / count);
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /**
     * Opens and closes {@code count} connections: compiles the code, loads the classes and starts
     * the threads that opening them needs. A method of its own, so that nothing of them stays
     * reachable from the measuring frame (an interpreted frame keeps dead locals alive).
     */
    private static void warmUp(IdleConnections stack, int count) throws Exception {
        try (AutoCloseable connections = stack.open(count)) {
            // open, then closed
        }
    }

    /**
     * Runs {@link #main} in a new JVM with this one's class path (and module path, on the class path).
     *
     * @param tls whether {@code stack} names a TLS stack (D4) rather than a socket stack (E)
     */
    public static Results.Memory inChildJvm(String stack, boolean tls, int count) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(List.of("-Xms" + HEAP, "-Xmx" + HEAP, "-XX:+AlwaysPreTouch"));
        // C1 alone: C2's compilations take megabytes of arena chunks from the C heap and keep them
        // in HotSpot's chunk pool for up to 5 s after they end, so one that ran during a round
        // counted up to 1.7 KB per connection that no connection held (or freed as much, giving a
        // negative figure). C1's are small. What a connection holds does not depend on the compiler.
        command.add("-XX:TieredStopAtLevel=1");
        // All on the class path, as ./reseau runs: under the tests Reseau is on the module path
        // and this class only patched into it, which a child JVM would not be.
        String classPath = Stream.of(System.getProperty("jdk.module.path"), System.getProperty("java.class.path"))
                .filter(path -> path != null && !path.isEmpty()).collect(Collectors.joining(File.pathSeparator));
        // As ./reseau grants: native access, and java.net open to Conscrypt 2.5.2, which reads a
        // peer address's original host name through its internals in every handshake.
        command.addAll(List.of("--enable-native-access=ALL-UNNAMED", "--add-opens=java.base/java.net=ALL-UNNAMED", "-cp",
                classPath, IdleMemoryProbe.class.getName()));
        command.add(stack);
        command.add(Integer.toString(count));
        if (tls) {
            command.add(TLS);
        }
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!child.waitFor(10, TimeUnit.MINUTES)) {
            child.destroyForcibly();
            throw new IOException("the memory probe for " + stack + " did not finish");
        }
        for (String line : output.lines().toList()) {
            if (line.startsWith(RESULT_PREFIX)) {
                String[] fields = line.substring(RESULT_PREFIX.length()).strip().split(" ");
                return new Results.Memory(count, Long.parseLong(fields[0]), Long.parseLong(fields[1]));
            }
        }
        throw new IOException("the memory probe for " + stack + " failed (exit " + child.exitValue() + "):\n" + output.strip());
    }

    /**
     * The heap in use once it stops falling: a stack may close connections asynchronously (Reseau
     * does, on its loops), and what they hold is free only when the closing is done.
     */
    private static long settledHeapInUse() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        long previous = heapInUseAfterGc();
        while (System.nanoTime() < deadline) {
            Thread.sleep(100);
            long now = heapInUseAfterGc();
            if (previous - now < 64 * 1024) {
                return now;
            }
            previous = now;
        }
        return previous;
    }

    /** The heap in use after a full GC (three, a moment apart, so that a concurrent cycle ends). */
    public static long heapInUseAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** The C heap in use, or where that is not reported the resident size. */
    private static long nativeInUse() throws IOException {
        OptionalLong malloced = MallocStatistics.bytesInUse();
        return malloced.isPresent() ? malloced.getAsLong() : residentBytes();
    }

    /** VmRSS from /proc/self/status. */
    private static long residentBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.substring(6).replace("kB", "").strip()) * 1024;
            }
        }
        throw new IOException("no VmRSS in /proc/self/status");
    }
}
