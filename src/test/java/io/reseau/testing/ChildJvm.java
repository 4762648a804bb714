package io.reseau.testing;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A second JVM running a main class of the tests: with its own limit on open descriptors
 * ({@code ulimit -n}), for behaviour that would break the test JVM, such as running out of
 * descriptors for good; or with system properties of its own, fixed at its start. Reseau is on its
 * class path, or on its module path as the named module {@code io.reseau}; the tests are on its
 * class path (so a main class run with Reseau as a module must be in a package Reseau has not).
 * Its stdout and stderr come back as lines.
 */
public final class ChildJvm implements AutoCloseable {
    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> transcript = new ArrayList<>(); // guarded by itself

    private ChildJvm(Process process) {
        this.process = process;
        Thread.ofVirtual().start(this::readLines);
    }

    /** Everything on the class path, at most {@code descriptorLimit} descriptors open. */
    public static ChildJvm start(int descriptorLimit, Class<?> mainClass, String... args) {
        List<String> command = new ArrayList<>(List.of("/bin/sh", "-c", "ulimit -n \"$0\" && exec \"$@\"",
                Integer.toString(descriptorLimit)));
        command.addAll(javaCommand(List.of(), false, mainClass, args));
        return new ChildJvm(ChildProcesses.start(new ProcessBuilder(command).redirectErrorStream(true)));
    }

    /** A JVM given {@code jvmOptions} ({@code -Dname=value}), with Reseau on the module path or the class path. */
    public static ChildJvm start(List<String> jvmOptions, boolean reseauAsModule, Class<?> mainClass, String... args) {
        return new ChildJvm(ChildProcesses.start(
                new ProcessBuilder(javaCommand(jvmOptions, reseauAsModule, mainClass, args)).redirectErrorStream(true)));
    }

    private static List<String> javaCommand(List<String> jvmOptions, boolean reseauAsModule, Class<?> mainClass, String... args) {
        // The test JVM has Reseau (and aws-crt) on its module path, the tests and their libraries on its class path.
        String modulePath = System.getProperty("jdk.module.path", "");
        String classPath = System.getProperty("java.class.path", "");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmOptions);
        if (reseauAsModule) {
            command.addAll(List.of("--module-path", modulePath, "--add-modules", "io.reseau", "--enable-native-access=io.reseau",
                    "-cp", classPath));
        } else {
            command.addAll(List.of("--enable-native-access=ALL-UNNAMED", "-cp", Stream.of(modulePath, classPath)
                    .filter(path -> !path.isEmpty()).reduce((a, b) -> a + File.pathSeparator + b).orElseThrow()));
        }
        command.add(mainClass.getName());
        command.addAll(List.of(args));
        return command;
    }

    /** The next line (after those already taken) that starts with {@code prefix}; fails after {@code timeout}. */
    public String awaitLine(String prefix, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (long left = timeout.toNanos(); left > 0; left = deadline - System.nanoTime()) {
            String line = lines.poll(left, TimeUnit.NANOSECONDS);
            if (line != null && line.startsWith(prefix)) {
                return line;
            }
            if (line == null && !process.isAlive() && lines.isEmpty()) {
                break;
            }
        }
        throw new AssertionError("no line starting with '" + prefix + "' within " + timeout + (process.isAlive()
                ? "" : "; the child exited with " + process.exitValue()) + "; it printed:\n" + transcript());
    }

    /** Everything the child printed so far. */
    public String transcript() {
        synchronized (transcript) {
            return String.join("\n", transcript);
        }
    }

    @Override
    public void close() {
        ChildProcesses.stop(process);
    }

    private void readLines() {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                synchronized (transcript) {
                    transcript.add(line);
                }
                lines.add(line);
            }
        } catch (IOException e) {
            // the child is gone; what it printed so far is kept
        }
    }
}
