package io.reseau.cli;

/** {@code host:port} from the command line; an IPv6 literal goes in brackets ({@code [::1]:443}). */
record HostPort(String host, int port) {

    static HostPort parse(String text) throws UsageException {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new UsageException("expected HOST:PORT, got '" + text + "'");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw new UsageException("put an IPv6 address in brackets, as [" + host + "]:PORT");
        }
        return new HostPort(host, port(text.substring(colon + 1), 1));
    }

    /** A port number from {@code lowest} to 65535. */
    static int port(String text, int lowest) throws UsageException {
        try {
            int port = Integer.parseInt(text);
            if (port >= lowest && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException("not a port number (" + lowest + "-65535): '" + text + "'");
    }
}
