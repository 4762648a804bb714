package io.reseau.net;

import io.reseau.bootstrap.ClientBootstrap;
import io.reseau.bootstrap.ServerBootstrap;
import io.reseau.common.IoErrorException;
import io.reseau.dns.CachingHostResolver;
import io.reseau.dns.HostResolver;
import io.reseau.eventloop.EventLoopGroup;
import io.reseau.eventloop.EventLoopGroupOptions;
import java.io.UncheckedIOException;
import java.util.Objects;

/** The loops, resolver and bootstraps blocking sockets run on. */
record NetContext(EventLoopGroup group, HostResolver resolver, ClientBootstrap client, ServerBootstrap server) {

    static NetContext of(EventLoopGroup group, HostResolver resolver) {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(resolver, "resolver");
        return new NetContext(group, resolver, new ClientBootstrap(group, resolver), new ServerBootstrap(group));
    }

    /** The process-wide context: created on first use, its daemon loop threads live as long as the process. */
    static NetContext defaults() {
        return Default.CONTEXT;
    }

    private static final class Default {
        static final NetContext CONTEXT = create();

        private static NetContext create() {
            try {
                // One loop per processor, not aws-c-io's half: blocking sockets' TLS is encrypted
                // and decrypted on the loops, and half the loops would cap it at half the machine.
                int loops = Runtime.getRuntime().availableProcessors();
                EventLoopGroup group = new EventLoopGroup(EventLoopGroupOptions.withLoopCount(loops).threadNamePrefix("reseau-net-loop-"));
                return of(group, CachingHostResolver.getDefault());
            } catch (IoErrorException e) {
                throw new UncheckedIOException("Reseau could not start its event loops", e);
            }
        }
    }
}
