package io.reseau.bootstrap;

import io.reseau.channel.Channel;
import io.reseau.channel.ChannelCallback;
import io.reseau.common.IoError;
import io.reseau.common.IoErrorException;
import io.reseau.dns.CachingHostResolver;
import io.reseau.dns.HostAddress;
import io.reseau.dns.HostResolver;
import io.reseau.dns.RecordType;
import io.reseau.eventloop.EventLoop;
import io.reseau.eventloop.EventLoopGroup;
import io.reseau.eventloop.Task;
import io.reseau.eventloop.TaskStatus;
import io.reseau.socket.ConnectCallback;
import io.reseau.socket.IpAddresses;
import io.reseau.socket.Socket;
import io.reseau.socket.SocketDomain;
import io.reseau.tls.TlsConnectionOptions;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Opens client channels (aws-c-io's client bootstrap): resolve the host, connect, and build a
 * channel with the socket handler in its first slot.
 *
 * <p>Unlike aws-c-io, which tries the first IPv6 and the first IPv4 address at the same time, it
 * races every resolved address as Happy Eyeballs v2 does (RFC 8305): the families interleaved
 * ({@link FamilyPreference}: IPv6 first by default), the next address tried
 * {@link ClientConnectionOptions#connectionAttemptDelay()} after the previous one, or at once when
 * that one fails sooner; the first to connect wins and the others are closed at once. The socket
 * options' connect timeout bounds the whole race. Every failed attempt is reported to the
 * resolver. Unlike aws-c-io, {@code onSetup} always runs on an event loop, also when resolution
 * fails.
 */
public final class ClientBootstrap {
    private final EventLoopGroup group;
    private final HostResolver resolver;

    /** A bootstrap that resolves through {@link CachingHostResolver#getDefault()}. */
    public ClientBootstrap(EventLoopGroup group) {
        this(group, CachingHostResolver.getDefault());
    }

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
        Objects.requireNonNull(options.onSetup(), "onSetup");
        return start(options, null);
    }

    /**
     * Races the options' addresses as {@link #connect} does but builds no channel: the winning
     * socket, connected and on its loop, goes to {@code onConnected} on that loop and belongs to
     * the caller from then on; a failure goes there with a null socket. For owners that use the
     * socket themselves and put a channel on it only if they come to need one (the blocking
     * facade's plain sockets: an idle connection then costs a socket, not a channel). Of the
     * options, those of the channel (the callbacks, TLS, back-pressure, half-close, read size) do
     * not apply.
     *
     * @throws IllegalArgumentException as {@link #connect} does
     */
    public ConnectAttempt connectSocket(ClientConnectionOptions options, ConnectCallback onConnected) {
        Objects.requireNonNull(options, "options");
        return start(options, Objects.requireNonNull(onConnected, "onConnected"));
    }

    /** Starts an attempt that builds a channel, or with {@code onConnected} one that reports the socket. */
    private ConnectAttempt start(ClientConnectionOptions options, ConnectCallback onConnected) {
        EventLoop requested = options.requestedEventLoop();
        if (requested != null && !group.contains(requested)) {
            throw new IllegalArgumentException(IoError.PINNED_EVENT_LOOP_MISMATCH.awsName() + ": " + requested.name()
                    + " is not a loop of this bootstrap's group");
        }
        Attempt attempt = new Attempt(options, onConnected, requested != null ? requested : group.nextLoop());
        Socket callerSocket = options.socket();
        SocketDomain domain = callerSocket != null ? callerSocket.options().domain() : options.socketOptions().domain();
        if (domain == SocketDomain.LOCAL) {
            attempt.start(List.of(new ConnectTarget(UnixDomainSocketAddress.of(options.host()), SocketDomain.LOCAL, null)), null);
        } else {
            // A bound socket cannot be copied for further attempts: it makes the only one.
            int most = callerSocket != null && callerSocket.localAddress() != null ? 1 : Integer.MAX_VALUE;
            resolver.resolve(options.host(), (host, addresses, error) -> attempt.start(
                    targetsOf(addresses, options.port(), callerSocket == null ? null : domain, most), error));
        }
        return attempt;
    }

    /**
     * The addresses in the order to try them, at most {@code most}; with {@code socketDomain} (the
     * caller's socket's) only those it reaches: every one from IPv6 (IPv4 as mapped), A from IPv4.
     */
    private static List<ConnectTarget> targetsOf(List<HostAddress> addresses, int port, SocketDomain socketDomain,
            int most) {
        return FamilyPreference.CONFIGURED.interleave(addresses).stream()
                .filter(a -> socketDomain != SocketDomain.IPV4 || a.recordType() == RecordType.A)
                .limit(most)
                .map(a -> new ConnectTarget(new InetSocketAddress(a.address(), port),
                        socketDomain != null ? socketDomain : domainOf(a.recordType()), a))
                .toList();
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

    /** One call to connect(): its connection race, then its channel, and its exactly-once setup report. */
    private final class Attempt implements ConnectAttempt {
        private final ClientConnectionOptions options;
        private final ConnectCallback onConnected; // null: build the channel
        private final EventLoop loop;
        private volatile ConnectionRace race; // once the addresses are known; read by failedAttempts
        // Loop thread only.
        private boolean callerSocketTaken; // by the race's first attempt
        private boolean cancelled;
        private boolean reported;
        private ShutdownRelay shutdownRelay; // once a socket is chosen

        Attempt(ClientConnectionOptions options, ConnectCallback onConnected, EventLoop loop) {
            this.options = options;
            this.onConnected = onConnected;
            this.loop = loop;
        }

        @Override
        public void cancel() {
            loop.scheduleNow(new Task("client-bootstrap-cancel", status -> {
                cancelled = true;
                if (race != null) {
                    race.cancel(); // reports the cancel through onRaceEnd, unless the race is over
                }
            }));
        }

        @Override
        public List<FailedAttempt> failedAttempts() {
            ConnectionRace current = race;
            return current == null ? List.of() : current.failedAttempts();
        }

        /** Continues on the loop: race the targets, or report {@code error}. */
        void start(List<ConnectTarget> targets, IoError error) {
            loop.scheduleNow(new Task("client-bootstrap-connect", status -> {
                IoError failure = status == TaskStatus.CANCELED ? IoError.EVENT_LOOP_SHUTDOWN
                        : cancelled ? IoError.OPERATION_CANCELLED
                        : error != null ? error
                        : targets.isEmpty() ? IoError.DNS_NO_ADDRESS_FOR_HOST : null;
                if (failure != null) {
                    if (options.socket() != null) {
                        options.socket().close();
                    }
                    report(null, failure);
                    return;
                }
                Socket callerSocket = options.socket();
                Duration timeout = (callerSocket != null ? callerSocket.options() : options.socketOptions()).connectTimeout();
                race = new ConnectionRace(loop, targets, options.connectionAttemptDelay(), timeout, this::openSocket,
                        resolver, this::onRaceEnd);
                race.start();
            }));
        }

        /** The socket of one attempt: the caller's first, then its siblings; else a new one of the target's domain. */
        private Socket openSocket(ConnectTarget target, Duration connectTimeout) throws IoErrorException {
            Socket callerSocket = options.socket();
            if (callerSocket == null) {
                return new Socket(options.socketOptions().withDomain(target.domain()).withConnectTimeout(connectTimeout));
            }
            if (!callerSocketTaken) {
                callerSocketTaken = true;
                return callerSocket; // its own timeout is the race's, and the race has just begun
            }
            return callerSocket.openSibling(connectTimeout);
        }

        private void onRaceEnd(Socket winner, IoError error) {
            if (error != null) {
                report(null, cancelled ? IoError.OPERATION_CANCELLED : error);
            } else if (onConnected != null) {
                if (cancelled) {
                    winner.close();
                    report(null, IoError.OPERATION_CANCELLED);
                } else {
                    reported = true;
                    onConnected.onConnectionResult(winner, null);
                }
            } else {
                shutdownRelay = new ShutdownRelay(options.onShutdown());
                SocketChannels.open(winner, options.enableReadBackPressure(), options.halfClose(), options.maxReadPerTurn(),
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
            if (onConnected != null) {
                onConnected.onConnectionResult(null, error); // only failures come here
            } else {
                options.onSetup().onChannel(channel, error);
            }
        }
    }
}
