/**
 * Reseau: aws-c-io's event loops, channels and TLS rebuilt on FFM, behind blocking APIs.
 *
 * <p>What each exported package promises:
 * <ul>
 * <li>{@code io.reseau.net}: the blocking facade, the API most users need. Its factories hand out
 * {@link java.net.Socket} and {@link java.net.ServerSocket}s with the JDK's semantics (drop-in
 * contracts: {@code ReseauSocketFactory.getDefault()}, {@code ReseauServerSocketFactory.getDefault()},
 * {@code ReseauSocketFactory.of(EventLoopGroup, HostResolver)}).
 * <li>{@code io.reseau.tls}: the {@code Reseau} JCA provider ({@code SSLContext} TLS, TLSv1.3,
 * TLSv1.2, initialised the JSSE way; its sessions tell the key-exchange group through
 * {@code KeyExchangeGroupSession}), TLS over buffers ({@code TlsConnection}), and TLS for the
 * callback layer: contexts, connection options, session tickets, the s2n channel handler, ALPN, PEM.
 * <li>{@code io.reseau.common}: aws-c-io's error codes ({@code IoError}, with its names and
 * numbers) and the exception that carries them, and the clock.
 * <li>{@code io.reseau.eventloop}: event loops and groups (aws-c-io's {@code aws_event_loop}):
 * tasks run on a loop's own thread, I/O events for subscribed descriptors.
 * <li>{@code io.reseau.channel}: channels of handlers with read back-pressure, messages and their
 * pool (aws-c-io's {@code aws_channel}); everything on the channel's loop.
 * <li>{@code io.reseau.socket}: the non-blocking socket driven by a loop and its channel handler
 * (aws-c-io's {@code aws_socket}).
 * <li>{@code io.reseau.dns}: host resolution for the bootstraps and sockets ({@code HostResolver}),
 * aws-c-io's caching resolver ({@code CachingHostResolver}) and, when switched on, the JVM's
 * {@code InetAddress} resolver ({@code ReseauResolverProvider}).
 * <li>{@code io.reseau.bootstrap}: client and server bootstraps that set channels up.
 * <li>{@code io.reseau.future}: {@code IoFuture}, the outcome of asynchronous work with aws-c-io's
 * completion and callback rules, and blocking waits that park virtual threads.
 * <li>{@code io.reseau.stream}: input streams (bytes, files, {@link java.io.InputStream}s) that
 * seek and know their length, and asynchronous input streams with a blocking view.
 * <li>{@code io.reseau.retry}: retry strategies (aws-c-io's {@code aws_retry_strategy}): exponential
 * backoff with jitter, the standard strategy's per-partition budgets, no retries; and
 * {@code Retrier}, which retries a blocking call on the calling thread.
 * <li>{@code io.reseau.pipe}: OS pipes whose ends live on event loops (aws-c-io's {@code aws_pipe}),
 * and their blocking form, an input and an output stream that park virtual threads.
 * </ul>
 * The callback packages keep aws-c-io's semantics under Java names; their callbacks run on event
 * loops and must not block. Everything else (the native bindings, the facade's internals, the
 * SSL socket implementation behind the provider) is not exported.
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
    exports io.reseau.future;
    exports io.reseau.stream;
    exports io.reseau.retry;
    exports io.reseau.pipe;
    exports io.reseau.tls;
    exports io.reseau.net;

    provides java.security.Provider with io.reseau.tls.ReseauProvider;
    // Off unless -Dreseau.dns.jvmWide=true: then every InetAddress lookup goes through Reseau's cache.
    provides java.net.spi.InetAddressResolverProvider with io.reseau.dns.ReseauResolverProvider;
}
