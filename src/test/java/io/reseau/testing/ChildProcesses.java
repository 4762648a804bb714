package io.reseau.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The tests' child processes (openssl). Each one is registered until it exits, and a shutdown
 * hook kills whatever is left: a test that fails half-way, or times out, must not leave a server
 * listening after the JVM is gone.
 */
final class ChildProcesses {
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(
                () -> LIVE.forEach(Process::destroyForcibly), "child-process-reaper"));
    }

    private ChildProcesses() {}

    /** How a process ended: its exit code, its stdout and stderr merged, and whether it was killed for taking too long. */
    record Exit(int code, String output, boolean timedOut) {}

    static Process start(ProcessBuilder builder) {
        try {
            Process process = builder.start();
            LIVE.add(process);
            process.onExit().thenRun(() -> LIVE.remove(process));
            return process;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + String.join(" ", builder.command()), e);
        }
    }

    /** SIGTERM, then SIGKILL if the process lingers; returns once it is gone (or at once, SIGKILL sent, if interrupted). */
    static void stop(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Runs {@code command} in {@code directory}, writes {@code input} to its stdin then closes it,
     * and waits for it to exit, killing it after {@code timeout}. stdin and stdout are served by
     * their own threads: a process that fills one pipe while we block on the other would hang.
     */
    static Exit run(List<String> command, Path directory, byte[] input, Duration timeout) {
        Process process = start(new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true));
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        Thread reader = Thread.ofVirtual().start(() -> {
            try (InputStream in = process.getInputStream()) {
                in.transferTo(output);
            } catch (IOException e) {
                // the process is gone; what it printed so far is kept
            }
        });
        Thread.ofVirtual().start(() -> {
            try (OutputStream out = process.getOutputStream()) {
                out.write(input);
            } catch (IOException e) {
                // the process exited without reading all of its input: its output tells why
            }
        });
        boolean timedOut = false;
        try {
            timedOut = !process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (timedOut) {
                stop(process);
            }
            reader.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            stop(process);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
        }
        return new Exit(process.exitValue(), output.toString(StandardCharsets.UTF_8), timedOut);
    }
}
