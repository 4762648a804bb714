package io.reseau.bootstrap;

import io.reseau.channel.Channel;
import io.reseau.common.IoError;
import io.reseau.common.IoErrorException;
import io.reseau.common.Task;
import io.reseau.common.TaskStatus;
import io.reseau.dns.HostAddress;
import io.reseau.dns.HostResolver;
import io.reseau.dns.RecordType;
import io.reseau.eventloop.EventLoop;
import io.reseau.eventloop.EventLoopGroup;
import io.reseau.socket.Socket;
import io.reseau.socket.SocketDomain;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Opens client channels (aws-c-io's client bootstrap): resolve the host, connect, and build a
 * channel with the socket handler in its first slot.
 *
 * <p>As aws-c-io, it tries at most two of the resolved addresses, the first IPv6 and the first
 * IPv4 one, at the same time; the first to connect wins and the other is closed; every failed
 * attempt is reported to the resolver. Unlike aws-c-io, {@code onSetup} always runs on an event
 * loop, also when resolution fails.
 */
public final class ClientBootstrap {
    private final EventLoopGroup group;
    private final HostResolver resolver;

    public ClientBootstrap(EventLoopGroup group, HostResolver resolver) {
        this.group = Objects.requireNonNull(group, "group");
        this.resolver = Objects.requireNonNull(resolver, "resolver");
    }

    public EventLoopGroup eventLoopGroup() {
        return group;
    }

    /**
     * Starts a connection; everything else is reported through the options' callbacks.
     *
     * @throws IllegalArgumentException if the requested event loop is not one of the group's
     *     ({@code AWS_ERROR_IO_PINNED_EVENT_LOOP_MISMATCH})
     */
    public void connect(ClientConnectionOptions options) {
        Objects.requireNonNull(options, "options");
        EventLoop requested = options.requestedEventLoop();
        if (requested != null && !group.contains(requested)) {
            throw new IllegalArgumentException(IoError.PINNED_EVENT_LOOP_MISMATCH.awsName() + ": " + requested.name()
                    + " is not a loop of this bootstrap's group");
        }
        Attempt attempt = new Attempt(options, requested != null ? requested : group.nextLoop());
        if (options.socketOptions().domain() == SocketDomain.LOCAL) {
            attempt.start(List.of(new Target(UnixDomainSocketAddress.of(options.host()), SocketDomain.LOCAL, null)), null);
            return;
        }
        resolver.resolve(options.host(), (host, addresses, error) -> attempt.start(targetsOf(addresses, options.port()), error));
    }

    /** aws-c-io's choice: the first IPv6 address, then the first IPv4 one. */
    private static List<Target> targetsOf(List<HostAddress> addresses, int port) {
        List<Target> targets = new ArrayList<>(2);
        for (RecordType type : List.of(RecordType.AAAA, RecordType.A)) {
            addresses.stream().filter(a -> a.recordType() == type).findFirst().ifPresent(address -> targets.add(
                    new Target(new InetSocketAddress(address.address(), port),
                            type == RecordType.AAAA ? SocketDomain.IPV6 : SocketDomain.IPV4, address)));
        }
        return targets;
    }

    /** One address to try; {@code resolved} is null for a Unix path. */
    private record Target(SocketAddress remote, SocketDomain domain, HostAddress resolved) {}

    /** One call to connect(): its parallel socket attempts and its exactly-once setup report. */
    private final class Attempt {
        private final ClientConnectionOptions options;
        private final EventLoop loop;
        // Loop thread only.
        private int outstanding;
        private boolean chosen;
        private IoError lastError;

        Attempt(ClientConnectionOptions options, EventLoop loop) {
            this.options = options;
            this.loop = loop;
        }

        /** Continues on the loop: connect to every target, or report {@code error}. */
        void start(List<Target> targets, IoError error) {
            loop.scheduleNow(new Task("client-bootstrap-connect", status -> {
                if (status == TaskStatus.CANCELED) {
                    report(null, IoError.EVENT_LOOP_SHUTDOWN);
                } else if (error != null || targets.isEmpty()) {
                    report(null, error != null ? error : IoError.DNS_NO_ADDRESS_FOR_HOST);
                } else {
                    outstanding = targets.size();
                    targets.forEach(this::connect);
                }
            }));
        }

        private void connect(Target target) {
            Socket socket = null;
            try {
                socket = new Socket(options.socketOptions().withDomain(target.domain()));
                socket.connect(target.remote(), loop, (connected, error) -> onConnectResult(connected, error, target));
            } catch (IoErrorException | RuntimeException e) {
                if (socket != null) {
                    socket.close();
                }
                onConnectResult(null, e instanceof IoErrorException ioe ? ioe.error() : IoError.SOCKET_INVALID_ADDRESS, target);
            }
        }

        private void onConnectResult(Socket socket, IoError error, Target target) {
            outstanding--;
            if (error != null) {
                if (socket != null) {
                    socket.close();
                }
                if (target.resolved() != null) {
                    resolver.recordConnectionFailure(target.resolved());
                }
                lastError = error;
                if (outstanding == 0 && !chosen) {
                    report(null, lastError);
                }
            } else if (chosen) {
                socket.close(); // another attempt won
            } else {
                chosen = true;
                SocketChannels.open(socket, options.enableReadBackPressure(), this::report, (channel, shutdownError) -> {
                    if (options.onShutdown() != null) {
                        options.onShutdown().onChannel(channel, shutdownError);
                    }
                });
            }
        }

        private void report(Channel channel, IoError error) {
            options.onSetup().onChannel(channel, error);
        }
    }
}
