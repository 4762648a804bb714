/**
 * Reseau: aws-c-io's event loops, channels and TLS rebuilt on FFM, behind blocking APIs.
 * Only API packages are exported; the native layer stays inside the module.
 */
module io.reseau {
    requires jdk.net; // ExtendedSocketOptions: TCP_KEEPIDLE, TCP_KEEPINTERVAL, TCP_KEEPCOUNT
    requires aws.crt; // only for its native library, which holds s2n-tls (see internal.ffi.S2nLibrary)

    exports io.reseau.common;
    exports io.reseau.eventloop;
    exports io.reseau.channel;
    exports io.reseau.socket;
    exports io.reseau.dns;
    exports io.reseau.bootstrap;
    exports io.reseau.net;
    exports io.reseau.net.ssl;
    exports io.reseau.tls;

    provides java.security.Provider with io.reseau.tls.ReseauProvider;
}
