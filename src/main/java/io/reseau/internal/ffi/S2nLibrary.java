package io.reseau.internal.ffi;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.net.URL;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * s2n-tls, as the native library of aws-crt ({@code software.amazon.awssdk.crt:aws-crt}) exports it:
 * the library for this platform is taken from aws-crt's jar, written once to a private directory,
 * loaded for good ({@code dlopen}, never unloaded: s2n keeps thread-local state and thread-exit
 * hooks) and initialised. No JNI and no aws-crt Java class is involved.
 *
 * <p>The directory is {@code <java.io.tmpdir>/reseau-<user>}, owner-only, unless the system property
 * {@value #DIRECTORY_PROPERTY} names another (for a temporary directory mounted noexec). A file
 * already there is reused when its content hash matches. The C library flavour (glibc or musl) is
 * detected, or forced with {@value #LIBC_PROPERTY}.
 */
public final class S2nLibrary {
    /** System property: the directory the native library is written to. */
    public static final String DIRECTORY_PROPERTY = "reseau.native.dir";
    /** System property: {@code glibc} or {@code musl}, when detection should not decide. */
    public static final String LIBC_PROPERTY = "reseau.libc";

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    private S2nLibrary() {}

    /** The loaded, initialised library: loaded at the first call; a failure is reported every time. */
    static SymbolLookup lookup() {
        if (Loaded.FAILURE != null) {
            throw new IllegalStateException(Loaded.FAILURE.getMessage(), Loaded.FAILURE);
        }
        return Loaded.LOOKUP;
    }

    /** Loads and initialises s2n now, or throws {@link IllegalStateException} saying why it cannot. */
    public static void ensureLoaded() {
        lookup();
    }

    /** Where this JVM loaded the library from. */
    public static Path path() {
        lookup();
        return Loaded.PATH;
    }

    private static final class Loaded {
        static final SymbolLookup LOOKUP;
        static final Path PATH;
        static final RuntimeException FAILURE;

        static {
            SymbolLookup lookup = null;
            Path path = null;
            RuntimeException failure = null;
            try {
                path = extract(resourcePath());
                lookup = SymbolLookup.libraryLookup(path, Arena.global());
                initialise(lookup);
            } catch (RuntimeException | IOException e) {
                failure = e instanceof RuntimeException r ? r : new UncheckedIOException(e.getMessage(), (IOException) e);
            }
            LOOKUP = lookup;
            PATH = path;
            FAILURE = failure;
        }
    }

    /** aws-crt's resource for this platform: {@code linux/<arch>/<libc>/libaws-crt-jni.so}. */
    static String resourcePath() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (!os.startsWith("linux")) {
            throw new IllegalStateException("Reseau's TLS needs s2n-tls, which aws-crt ships for Linux only (its macOS "
                    + "and Windows libraries use the platform's TLS instead); this is " + System.getProperty("os.name"));
        }
        String arch = switch (System.getProperty("os.arch", "")) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "armv8";
            default -> throw new IllegalStateException("Reseau's TLS supports x86_64 and aarch64 Linux; this is "
                    + System.getProperty("os.arch"));
        };
        return "linux/" + arch + "/" + libc() + "/libaws-crt-jni.so";
    }

    private static String libc() {
        String forced = System.getProperty(LIBC_PROPERTY);
        if (forced != null) {
            if (!forced.equals("glibc") && !forced.equals("musl")) {
                throw new IllegalStateException(LIBC_PROPERTY + " must be glibc or musl, not '" + forced + "'");
            }
            return forced;
        }
        // The C library this very process runs on: musl maps ld-musl, glibc does not.
        try {
            return Files.readString(Path.of("/proc/self/maps")).contains("ld-musl") ? "musl" : "glibc";
        } catch (IOException e) {
            return "glibc";
        }
    }

    /** Writes the resource into the private directory (unless an identical copy is there) and returns it. */
    private static Path extract(String resource) throws IOException {
        byte[] library = readResource(resource);
        String hash = sha256(library);
        Path directory = privateDirectory();
        Path target = directory.resolve("libaws-crt-jni-" + hash.substring(0, 16) + ".so");
        if (Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS) && sha256(Files.readAllBytes(target)).equals(hash)) {
            return target;
        }
        Path partial = Files.createTempFile(directory, "libaws-crt-jni-", ".partial");
        try {
            Files.write(partial, library);
            Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("r-x------"));
            try {
                Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(partial);
        }
        return target;
    }

    private static byte[] readResource(String resource) throws IOException {
        URL url = locate(resource);
        if (url == null) {
            throw new IllegalStateException("s2n-tls not found: " + resource + " is missing from the class path; "
                    + "Reseau's TLS needs the jar software.amazon.awssdk.crt:aws-crt (0.38.8) beside Reseau's");
        }
        try (InputStream in = url.openStream()) {
            return in.readAllBytes();
        }
    }

    private static URL locate(String resource) {
        ClassLoader own = S2nLibrary.class.getClassLoader();
        URL url = own == null ? null : own.getResource(resource);
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        if (url == null && context != null) {
            url = context.getResource(resource);
        }
        return url != null ? url : ClassLoader.getSystemResource(resource);
    }

    /**
     * The directory the library is written to: the user's choice, or an owner-only directory in
     * the temporary directory. Loading code from a directory others can write to would let them
     * swap it, so such a directory is refused.
     */
    private static Path privateDirectory() throws IOException {
        String chosen = System.getProperty(DIRECTORY_PROPERTY);
        Path directory = chosen != null ? Path.of(chosen)
                : Path.of(System.getProperty("java.io.tmpdir"), "reseau-" + System.getProperty("user.name", "user"));
        try {
            Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } catch (FileAlreadyExistsException e) {
            throw new IllegalStateException(directory + " exists and is not a directory");
        }
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(directory, LinkOption.NOFOLLOW_LINKS);
        if (permissions.contains(PosixFilePermission.GROUP_WRITE) || permissions.contains(PosixFilePermission.OTHERS_WRITE)
                || !Files.getOwner(directory, LinkOption.NOFOLLOW_LINKS).getName().equals(System.getProperty("user.name"))) {
            throw new IllegalStateException("refusing to load native code from " + directory + ": it is not private to "
                    + System.getProperty("user.name") + " (choose another directory with -D" + DIRECTORY_PROPERTY + "=...)");
        }
        return directory;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    /**
     * Initialises s2n, on a platform thread: s2n reports errors through a thread-local variable of
     * the OS thread, which a virtual thread may leave between the call and the reading.
     */
    private static void initialise(SymbolLookup library) {
        // s2n would mlock every allocation (about 44 KiB per connection), which the usual locked-memory
        // limit allows for only a few hundred connections. aws-c-io avoids it with its allocator.
        if (Libc.setenv("S2N_DONT_MLOCK", "1", true) != 0) {
            throw new IllegalStateException("could not set S2N_DONT_MLOCK for s2n-tls");
        }
        MethodHandle init = Downcalls.in(library, "s2n_init", FunctionDescriptor.of(ValueLayout.JAVA_INT));
        MethodHandle errnoLocation = Downcalls.in(library, "s2n_errno_location", FunctionDescriptor.of(ValueLayout.ADDRESS));
        MethodHandle errorName = Downcalls.in(library, "s2n_strerror_name",
                FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
        CompletableFuture<String> failure = new CompletableFuture<>();
        Thread.ofPlatform().name("reseau-s2n-init").start(() -> {
            try {
                if ((int) init.invokeExact() == 0) {
                    failure.complete(null);
                    return;
                }
                int error = ((MemorySegment) errnoLocation.invokeExact()).reinterpret(Integer.BYTES).get(ValueLayout.JAVA_INT, 0);
                String name = ((MemorySegment) errorName.invokeExact(error)).reinterpret(Long.MAX_VALUE).getString(0);
                // Someone else in this process (aws-crt's own Java classes) initialised it already.
                failure.complete(name.equals("S2N_ERR_INITIALIZED") ? null : name);
            } catch (Throwable t) {
                failure.completeExceptionally(t);
            }
        });
        String error = failure.join();
        if (error != null) {
            throw new IllegalStateException("s2n_init failed: " + error);
        }
    }
}
