package io.reseau.cli.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** What the figures were measured on, for the report: they mean little without it. */
public record Machine(int cpus, String cpuModel, String os, String kernel, String java, long memoryBytes) {

    public static Machine current() {
        return new Machine(Runtime.getRuntime().availableProcessors(), readCpuModel(),
                System.getProperty("os.name") + " " + System.getProperty("os.arch"), readKernel(),
                System.getProperty("java.vm.name") + " " + Runtime.version(), readMemory());
    }

    @Override
    public String toString() {
        return String.format("%d CPUs (%s), %.0f GiB, %s, kernel %s, %s", cpus, cpuModel, memoryBytes / (double) (1L << 30),
                os, kernel, java);
    }

    private static String readCpuModel() {
        return procField("/proc/cpuinfo", "model name").orElse("unknown CPU");
    }

    private static String readKernel() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip();
        } catch (IOException | RuntimeException e) {
            return System.getProperty("os.version");
        }
    }

    private static long readMemory() {
        return procField("/proc/meminfo", "MemTotal").map(v -> Long.parseLong(v.replace("kB", "").strip()) * 1024).orElse(0L);
    }

    private static Optional<String> procField(String file, String field) {
        try {
            return Files.readAllLines(Path.of(file)).stream()
                    .filter(line -> line.startsWith(field))
                    .map(line -> line.substring(line.indexOf(':') + 1).strip())
                    .findFirst();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
