package io.reseau.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Loads every Reseau class up front, for tests that run a process out of descriptors. Tests load
 * classes from a directory, one file each: a class first used after descriptors ran out could not
 * be read (from a jar, opened once, it could), and the failure would be the test's, not Reseau's.
 */
public final class ReseauClasses {
    private ReseauClasses() {}

    public static void loadAll() {
        ClassLoader loader = io.reseau.socket.Socket.class.getClassLoader();
        Path root;
        try {
            root = Path.of(io.reseau.socket.Socket.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        if (!Files.isDirectory(root)) {
            return; // a jar: its classes stay readable
        }
        List<String> names;
        try (Stream<Path> files = Files.walk(root)) {
            names = files.map(root::relativize).map(Path::toString)
                    .filter(name -> name.endsWith(".class") && !name.equals("module-info.class"))
                    .map(name -> name.substring(0, name.length() - ".class".length()).replace('/', '.'))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String name : names) {
            try {
                Class.forName(name, false, loader);
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
