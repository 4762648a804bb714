package io.reseau.internal.access;

import java.lang.invoke.MethodHandles;

/** The accessors the exported packages install for the facade. */
final class Installed {
    static volatile SocketAccess socket;

    private Installed() {}

    /** Runs {@code type}'s static initialiser, which installs its accessor. */
    static void initialise(Class<?> type) {
        try {
            MethodHandles.lookup().ensureInitialized(type);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}
