package io.reseau.net.ssl;

import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;

/** SNI names: the one a client sends for a host it was given, by JSSE's rule, and the one a server received. */
final class SniNames {
    private SniNames() {}

    /**
     * A name for a host name with a dot (not an IP literal, no trailing dot), as JSSE sends; null
     * otherwise ("localhost", "10.0.0.1" and "::1" get no SNI).
     */
    static SNIHostName fromHost(String host) {
        if (host == null || host.isEmpty() || host.indexOf('.') < 0 || host.endsWith(".") || isIpLiteral(host)) {
            return null;
        }
        try {
            return new SNIHostName(host);
        } catch (IllegalArgumentException e) {
            return null; // not a valid host name: send none rather than fail
        }
    }

    /** The name a client sent, as a server's session lists it: none if it sent none, or one the JDK cannot hold. */
    static List<SNIServerName> received(String name) {
        if (name == null) {
            return List.of();
        }
        try {
            return List.of(new SNIHostName(name));
        } catch (IllegalArgumentException e) {
            return List.of();
        }
    }

    private static boolean isIpLiteral(String host) {
        if (host.indexOf(':') >= 0) {
            return true;
        }
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (c != '.' && (c < '0' || c > '9')) {
                return false;
            }
        }
        return true;
    }
}
