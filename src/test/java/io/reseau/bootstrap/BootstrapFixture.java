package io.reseau.bootstrap;

import io.reseau.dns.SystemHostResolver;
import io.reseau.eventloop.EventLoopGroup;
import io.reseau.testing.Resources;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the bootstrap tests run on, fresh for each test: two loops, the system resolver, a client
 * and a server bootstrap on them, and the {@link Resources} that closes it all afterwards (what a
 * test tracks first, the loops last).
 */
abstract class BootstrapFixture {
    @RegisterExtension
    final Resources resources = new Resources();
    final EventLoopGroup group = resources.track(new EventLoopGroup(2));
    final SystemHostResolver resolver = resources.track(new SystemHostResolver());
    final ClientBootstrap client = new ClientBootstrap(group, resolver);
    final ServerBootstrap server = new ServerBootstrap(group);

    BootstrapFixture() throws Exception {}
}
