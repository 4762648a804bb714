package io.reseau.bench.netty;

import io.netty.channel.epoll.Epoll;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;
import io.reseau.cli.bench.Target;
import io.reseau.cli.bench.TlsStack;
import io.reseau.cli.bench.TlsStackProvider;

/** Scenario D's native peer: Netty on epoll with its OpenSSL engine (netty-tcnative, BoringSSL). */
public final class NettyTcnativeProvider implements TlsStackProvider {
    static final String NAME = Target.NETTY_TCNATIVE;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String unavailableReason() {
        if (!Epoll.isAvailable()) {
            return "epoll: " + Epoll.unavailabilityCause().getMessage();
        }
        if (!OpenSsl.isAvailable()) {
            return "netty-tcnative: " + OpenSsl.unavailabilityCause();
        }
        return SslProvider.isTlsv13Supported(SslProvider.OPENSSL) ? null : "netty-tcnative: no TLS 1.3 in " + OpenSsl.versionString();
    }

    @Override
    public TlsStack create() throws Exception {
        return NettyTlsStack.tcnative();
    }
}
