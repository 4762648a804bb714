package io.reseau.bench.netty;

import io.netty.channel.epoll.Epoll;
import io.reseau.cli.bench.Stack;
import io.reseau.cli.bench.StackProvider;

/** Netty on its epoll transport. */
public final class NettyEpollProvider implements StackProvider {
    @Override
    public String name() {
        return "netty-epoll";
    }

    @Override
    public String unavailableReason() {
        return Epoll.isAvailable() ? null : "epoll: " + Epoll.unavailabilityCause().getMessage();
    }

    @Override
    public Stack create() {
        return NettyStack.epoll();
    }
}
