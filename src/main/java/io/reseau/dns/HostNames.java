package io.reseau.dns;

/** What a host name must look like before a lookup is worth starting. */
final class HostNames {
    /** The longest name DNS carries (RFC 1035: 255 octets on the wire), in text without a final dot. */
    static final int MAX_NAME = 253;
    /** The longest label between dots (RFC 1035). */
    static final int MAX_LABEL = 63;

    private HostNames() {}

    /** A name no lookup can find: too long, a label too long, or a NUL (which C would cut it at). */
    static boolean isMalformed(String host) {
        String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        if (name.length() > MAX_NAME || name.indexOf('\0') >= 0) {
            return true;
        }
        int labelStart = 0;
        for (int dot = name.indexOf('.'); ; dot = name.indexOf('.', labelStart)) {
            int labelEnd = dot < 0 ? name.length() : dot;
            if (labelEnd - labelStart > MAX_LABEL) {
                return true;
            }
            if (dot < 0) {
                return false;
            }
            labelStart = dot + 1;
        }
    }
}
