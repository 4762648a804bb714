package io.reseau.bootstrap;

import io.reseau.channel.Channel;
import io.reseau.channel.ChannelCallback;
import io.reseau.common.IoError;
import io.reseau.common.IoErrorException;
import io.reseau.dns.HostAddress;
import io.reseau.dns.HostResolver;
import io.reseau.dns.RecordType;
import io.reseau.eventloop.EventLoop;
import io.reseau.eventloop.EventLoopGroup;
import io.reseau.eventloop.Task;
import io.reseau.eventloop.TaskStatus;
import io.reseau.socket.IpAddresses;
import io.reseau.socket.Socket;
import io.reseau.socket.SocketDomain;
import io.reseau.tls.TlsConnectionOptions;
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
    private static final System.Logger LOG = System.getLogger(ClientBootstrap.class.getName());
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
     * @return the attempt, which may be cancelled
     * @throws IllegalArgumentException if the requested event loop is not one of the group's
     *     ({@code AWS_ERROR_IO_PINNED_EVENT_LOOP_MISMATCH})
     */
    public ConnectAttempt connect(ClientConnectionOptions options) {
        Objects.requireNonNull(options, "options");
        EventLoop requested = options.requestedEventLoop();
        if (requested != null && !group.contains(requested)) {
            throw new IllegalArgumentException(IoError.PINNED_EVENT_LOOP_MISMATCH.awsName() + ": " + requested.name()
                    + " is not a loop of this bootstrap's group");
        }
        Attempt attempt = new Attempt(options, requested != null ? requested : group.nextLoop());
        SocketDomain domain = options.socket() != null ? options.socket().options().domain() : options.socketOptions().domain();
        if (domain == SocketDomain.LOCAL) {
            attempt.start(List.of(new Target(UnixDomainSocketAddress.of(options.host()), SocketDomain.LOCAL, null)), null);
        } else {
            resolver.resolve(options.host(), (host, addresses, error) -> attempt.start(
                    options.socket() != null ? targetFor(options.socket(), addresses, options.port())
                            : targetsOf(addresses, options.port()), error));
        }
        return attempt;
    }

    /** aws-c-io's choice: the first IPv6 address, then the first IPv4 one. */
    private static List<Target> targetsOf(List<HostAddress> addresses, int port) {
        List<Target> targets = new ArrayList<>(2);
        for (RecordType type : List.of(RecordType.AAAA, RecordType.A)) {
            addresses.stream().filter(a -> a.recordType() == type).findFirst().ifPresent(address -> targets.add(
                    new Target(new InetSocketAddress(address.address(), port), domainOf(type), address)));
        }
        return targets;
    }

    /** The first address the caller's socket can reach: any for IPv6 (IPv4 as mapped), A only for IPv4. */
    private static List<Target> targetFor(Socket socket, List<HostAddress> addresses, int port) {
        SocketDomain domain = socket.options().domain();
        return addresses.stream()
                .filter(a -> domain == SocketDomain.IPV6 || a.recordType() == RecordType.A)
                .findFirst()
                .map(a -> List.of(new Target(new InetSocketAddress(a.address(), port), domain, a)))
                .orElse(List.of());
    }

    private static SocketDomain domainOf(RecordType type) {
        return type == RecordType.AAAA ? SocketDomain.IPV6 : SocketDomain.IPV4;
    }

    /**
     * Tells the user a channel shut down, once its setup was reported as a success. All a live
     * channel keeps of its attempt: the attempt itself is free once setup is done.
     */
    private static final class ShutdownRelay implements ChannelCallback {
        private final ChannelCallback onShutdown;
        boolean setUp; // loop thread only

        ShutdownRelay(ChannelCallback onShutdown) {
            this.onShutdown = onShutdown;
        }

        @Override
        public void onChannel(Channel channel, IoError error) {
            if (setUp && onShutdown != null) {
                onShutdown.onChannel(channel, error);
            }
        }
    }

    /**
     * The connection's TLS options, with the host as the server name (SNI, and the name the
     * certificate must hold) when it was connected to by name and no name was given, as aws-c-io does.
     */
    private static TlsConnectionOptions tlsFor(ClientConnectionOptions options) {
        TlsConnectionOptions tls = options.tls();
        if (tls == null || tls.serverName() != null || options.socketOptions().domain() == SocketDomain.LOCAL
                || IpAddresses.parse(options.host()).isPresent()) {
            return tls;
        }
        return tls.withServerName(options.host());
    }

    /** One address to try; {@code resolved} is null for a Unix path. */
    private record Target(SocketAddress remote, SocketDomain domain, HostAddress resolved) {}

    /** One call to connect(): its parallel socket attempts and its exactly-once setup report. */
    private final class Attempt implements ConnectAttempt {
        private final ClientConnectionOptions options;
        private final EventLoop loop;
        // Loop thread only.
        private final List<Socket> connecting = new ArrayList<>(2);
        private int outstanding;
        private boolean chosen;
        private boolean cancelled;
        private boolean reported;
        private ShutdownRelay shutdownRelay; // once a socket is chosen
        private IoError lastError;

        Attempt(ClientConnectionOptions options, EventLoop loop) {
            this.options = options;
            this.loop = loop;
        }

        @Override
        public void cancel() {
            loop.scheduleNow(new Task("client-bootstrap-cancel", status -> {
                cancelled = true;
                for (Socket socket : List.copyOf(connecting)) {
                    socket.close(); // its connect reports SOCKET_CLOSED, then the setup reports the cancel
                }
            }));
        }

        /** Continues on the loop: connect to every target, or report {@code error}. */
        void start(List<Target> targets, IoError error) {
            loop.scheduleNow(new Task("client-bootstrap-connect", status -> {
                if (status == TaskStatus.CANCELED) {
                    report(null, IoError.EVENT_LOOP_SHUTDOWN);
                } else if (cancelled) {
                    report(null, IoError.OPERATION_CANCELLED);
                } else if (error != null || targets.isEmpty()) {
                    if (options.socket() != null) {
                        options.socket().close();
                    }
                    report(null, error != null ? error : IoError.DNS_NO_ADDRESS_FOR_HOST);
                } else {
                    outstanding = targets.size();
                    targets.forEach(this::connect);
                }
            }));
        }

        private void connect(Target target) {
            Socket socket = options.socket();
            try {
                if (socket == null) {
                    socket = new Socket(options.socketOptions().withDomain(target.domain()));
                }
                connecting.add(socket);
                socket.connect(target.remote(), loop, (connected, error) -> onConnectResult(connected, error, target));
            } catch (IoErrorException | RuntimeException e) {
                if (socket != null) {
                    connecting.remove(socket);
                    socket.close();
                }
                IoError error = e instanceof IoErrorException ioe ? ioe.error() : IoError.SOCKET_INVALID_ADDRESS;
                LOG.log(System.Logger.Level.DEBUG, "connect to " + target.remote() + " failed at once", e);
                onConnectResult(null, error, target);
            }
        }

        private void onConnectResult(Socket socket, IoError error, Target target) {
            connecting.remove(socket);
            outstanding--;
            if (error == null && cancelled) {
                socket.close();
                error = IoError.OPERATION_CANCELLED;
            }
            if (error != null) {
                if (socket != null) {
                    socket.close();
                }
                if (target.resolved() != null) {
                    resolver.recordConnectionFailure(target.resolved());
                }
                lastError = error;
                if (outstanding == 0 && !chosen) {
                    report(null, cancelled ? IoError.OPERATION_CANCELLED : lastError);
                }
            } else if (chosen) {
                socket.close(); // another attempt won
            } else {
                chosen = true;
                shutdownRelay = new ShutdownRelay(options.onShutdown());
                SocketChannels.open(socket, options.enableReadBackPressure(), options.halfClose(), options.maxReadPerTurn(),
                        tlsFor(options), this::onChannelReady, shutdownRelay);
            }
        }

        private void onChannelReady(Channel channel, IoError error) {
            if (channel != null && cancelled) {
                channel.shutdown(IoError.OPERATION_CANCELLED);
                report(null, IoError.OPERATION_CANCELLED);
                return;
            }
            shutdownRelay.setUp = channel != null;
            report(channel, error);
        }

        private void report(Channel channel, IoError error) {
            if (reported) {
                return;
            }
            reported = true;
            options.onSetup().onChannel(channel, error);
        }
    }
}
