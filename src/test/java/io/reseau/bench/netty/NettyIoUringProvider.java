package io.reseau.bench.netty;

import io.netty.channel.uring.IoUring;
import io.reseau.cli.bench.Stack;
import io.reseau.cli.bench.StackProvider;

/** Netty on its io_uring transport, where the kernel offers io_uring. */
public final class NettyIoUringProvider implements StackProvider {
    @Override
    public String name() {
        return "netty-io_uring";
    }

    @Override
    public String unavailableReason() {
        return IoUring.isAvailable() ? null : "io_uring: " + IoUring.unavailabilityCause().getMessage();
    }

    @Override
    public Stack create() {
        return NettyStack.ioUring();
    }
}
