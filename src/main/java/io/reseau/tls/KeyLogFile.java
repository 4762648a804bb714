package io.reseau.tls;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * The TLS secrets of connections, in the NSS key log format that {@code SSLKEYLOGFILE} gives curl
 * and that Wireshark reads to decrypt a capture ({@code CLIENT_RANDOM} lines for TLS 1.2, the
 * traffic secrets for TLS 1.3). For debugging only: whoever can read the file can decrypt those
 * connections. A {@link TlsContext} built while the system property {@value TlsContext#KEY_LOG_FILE_PROPERTY} names a file
 * logs the secrets of all its connections there, client and server; the property is read each
 * time a context is built.
 *
 * <p>Lines are appended (the file is created owner-only, rw-------, if it is missing), whole, in
 * the order s2n derives them. s2n hands each line over inside the handshake, on the thread making
 * it: the line is queued there without a lock, and a thread of the file's own appends what is
 * queued in one write, so that a slow disk never holds up an event loop.
 */
final class KeyLogFile {
    private static final System.Logger LOG = System.getLogger(KeyLogFile.class.getName());
    // Kept open for the life of the process once used: contexts come and go, the file stays one.
    private static final ConcurrentHashMap<Path, KeyLogFile> OPEN = new ConcurrentHashMap<>();

    private final Path path;
    private final FileChannel channel;
    private final ConcurrentLinkedQueue<byte[]> queued = new ConcurrentLinkedQueue<>();
    private final Thread writer;
    private boolean failed; // guarded by this: a write failed, and was reported once

    private KeyLogFile(Path path, FileChannel channel) {
        this.path = path;
        this.channel = channel;
        this.writer = Thread.ofPlatform().daemon().name("reseau-tls-keylog").unstarted(this::writeQueued);
        writer.start();
        // Lines queued when the process ends are still written.
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(this::writeQueuedLines));
    }

    /** The file the property names now, opened at its first use; null if the property is unset or the file cannot be opened. */
    static KeyLogFile named() {
        String name = System.getProperty(TlsContext.KEY_LOG_FILE_PROPERTY);
        if (name == null || name.isBlank()) {
            return null;
        }
        return OPEN.computeIfAbsent(Path.of(name).toAbsolutePath(), KeyLogFile::open);
    }

    private static KeyLogFile open(Path path) {
        try {
            FileChannel channel = FileChannel.open(path, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            LOG.log(System.Logger.Level.WARNING, "TLS secrets are logged to {0} (-D{1}): for debugging only", path, TlsContext.KEY_LOG_FILE_PROPERTY);
            return new KeyLogFile(path, channel);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.log(System.Logger.Level.WARNING, "TLS secrets are not logged: cannot open " + path + " (-D" + TlsContext.KEY_LOG_FILE_PROPERTY + ")", e);
            return null;
        }
    }

    /** s2n's key log callback: queues {@code line} (without its line end). Never blocks. */
    void append(MemorySegment line) {
        byte[] bytes = new byte[(int) line.byteSize() + 1];
        MemorySegment.copy(line, ValueLayout.JAVA_BYTE, 0, bytes, 0, bytes.length - 1);
        bytes[bytes.length - 1] = '\n';
        queued.add(bytes);
        LockSupport.unpark(writer);
    }

    private void writeQueued() {
        while (true) {
            writeQueuedLines();
            if (queued.isEmpty()) {
                LockSupport.park(this); // a line queued since the check has unparked this already
            }
        }
    }

    /** Appends every queued line in one write, then wipes them. */
    private synchronized void writeQueuedLines() {
        List<byte[]> lines = new ArrayList<>();
        int length = 0;
        for (byte[] line = queued.poll(); line != null; line = queued.poll()) {
            lines.add(line);
            length += line.length;
        }
        if (lines.isEmpty()) {
            return;
        }
        ByteBuffer buffer = ByteBuffer.allocate(length);
        lines.forEach(line -> {
            buffer.put(line);
            Arrays.fill(line, (byte) 0);
        });
        buffer.flip();
        try {
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        } catch (IOException e) {
            if (!failed) {
                failed = true;
                LOG.log(System.Logger.Level.WARNING, "TLS secrets could not be written to " + path, e);
            }
        } finally {
            Arrays.fill(buffer.array(), (byte) 0);
        }
    }
}
