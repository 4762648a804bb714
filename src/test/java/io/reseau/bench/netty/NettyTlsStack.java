package io.reseau.bench.netty;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.reseau.cli.bench.CountingTrustManager;
import io.reseau.cli.bench.Results;
import io.reseau.cli.bench.TlsCertificates;
import io.reseau.cli.bench.TlsStack;
import java.time.Duration;

/**
 * Scenario D on Netty: {@link NettyStack}'s epoll transport and pipelines with an
 * {@link io.netty.handler.ssl.SslHandler} first at both ends, on Netty's OpenSSL engine
 * (netty-tcnative, BoringSSL statically linked), set up as its users set it up: a key and
 * certificate for the server, a trust manager for the client.
 */
public final class NettyTlsStack implements TlsStack {
    private final NettyStack netty;

    private NettyTlsStack(NettyStack netty) {
        this.netty = netty;
    }

    /** Netty's epoll transport with its OpenSSL engine. */
    public static NettyTlsStack tcnative() throws Exception {
        TlsCertificates certificates = TlsCertificates.generate();
        CountingTrustManager trust = CountingTrustManager.around(certificates.trustManagers());
        SslContext server = SslContextBuilder.forServer(certificates.serverKey(), certificates.server())
                .sslProvider(SslProvider.OPENSSL)
                .protocols("TLSv1.3")
                .build();
        NettyStack.ClientContexts clients = () -> SslContextBuilder.forClient()
                .sslProvider(SslProvider.OPENSSL)
                .protocols("TLSv1.3")
                .trustManager(trust)
                // As the JSSE stacks' SSLSockets (no SSLParameters set): the chain is checked, not the host name.
                .endpointIdentificationAlgorithm(null)
                .build();
        return new NettyTlsStack(NettyStack.epoll(NettyTcnativeProvider.NAME,
                new NettyStack.Tls(server, clients.create(), clients, trust)));
    }

    @Override
    public String name() {
        return netty.name();
    }

    @Override
    public Results.Handshakes handshakes(Handshake kind, int clients, Duration warmup, Duration measure, int size)
            throws Exception {
        return netty.handshakes(kind, clients, warmup, measure, size);
    }

    @Override
    public Results.Bulk bulk(long total, int writeSize) throws Exception {
        return netty.bulk(total, writeSize);
    }

    @Override
    public Results.RoundTrips requestResponse(Duration warmup, Duration measure, int size) throws Exception {
        return netty.requestResponse(warmup, measure, size);
    }

    @Override
    public AutoCloseable openIdle(int count) throws Exception {
        return netty.openIdle(count);
    }

    @Override
    public void close() throws Exception {
        netty.close();
    }
}
