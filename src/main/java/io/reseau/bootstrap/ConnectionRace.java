package io.reseau.bootstrap;

import io.reseau.common.IoError;
import io.reseau.common.IoErrorException;
import io.reseau.dns.HostAddress;
import io.reseau.dns.HostResolver;
import io.reseau.eventloop.EventLoop;
import io.reseau.eventloop.Task;
import io.reseau.eventloop.TaskStatus;
import io.reseau.socket.ConnectCallback;
import io.reseau.socket.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Connects to one of several addresses of a host, as Happy Eyeballs v2 (RFC 8305 §5) races them:
 * the attempts start in the given order, each {@code attemptDelay} after the one before, or at
 * once when an attempt fails sooner; the first socket to connect wins and every other attempt is
 * closed at once. The timeout bounds the whole race: each attempt's socket gets what is left of it.
 * Every failed connect is reported to the resolver. When all fail, the race reports the most
 * telling failure (see {@link #mostTelling}), and {@link #failedAttempts()} holds every one.
 *
 * <p>Everything runs on one event loop, timers included: no thread per attempt. Loop thread only,
 * except {@link #failedAttempts()}.
 */
final class ConnectionRace {
    private static final System.Logger LOG = System.getLogger(ConnectionRace.class.getName());

    /** Makes the socket of one attempt, its connect timeout set to what is left of the race's. */
    @FunctionalInterface
    interface AttemptSockets {
        Socket open(ConnectTarget target, Duration connectTimeout) throws IoErrorException;
    }

    private final EventLoop loop;
    private final List<ConnectTarget> targets;
    private final long attemptDelayNanos;
    private final Duration timeout;
    private final AttemptSockets sockets;
    private final HostResolver resolver;
    private final ConnectCallback onEnd;
    private final List<Socket> pending = new ArrayList<>(2);
    private long deadline; // on the loop's clock; Long.MAX_VALUE without a timeout
    private int started;
    private Task nextAttempt; // the timer of the next attempt, while one is due
    private boolean ended;
    private IoError failure;
    private final FailedAttempt[] failed; // by attempt, in the order they started
    private volatile List<FailedAttempt> failedAttempts = List.of();

    /**
     * @param targets at least one, in the order to try them
     * @param timeout for the whole race; {@link Duration#ZERO} for none
     * @param onEnd told once, on the loop: the winning socket, or null and the failure
     */
    ConnectionRace(EventLoop loop, List<ConnectTarget> targets, Duration attemptDelay, Duration timeout,
            AttemptSockets sockets, HostResolver resolver, ConnectCallback onEnd) {
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("a race needs an address");
        }
        this.loop = loop;
        this.targets = List.copyOf(targets);
        this.attemptDelayNanos = attemptDelay.toNanos();
        this.timeout = timeout;
        this.sockets = sockets;
        this.resolver = resolver;
        this.onEnd = onEnd;
        this.failed = new FailedAttempt[targets.size()];
    }

    /** Starts the first attempt. */
    void start() {
        deadline = timeout.isZero() ? Long.MAX_VALUE : loop.currentTimeNanos() + timeout.toNanos();
        startNext();
    }

    /** Closes every attempt and reports {@code OPERATION_CANCELLED}, unless the race has ended. */
    void cancel() {
        if (!ended) {
            end(null, IoError.OPERATION_CANCELLED);
        }
    }

    /** The attempts that failed so far, in the order they started; complete once the race has ended. From any thread. */
    List<FailedAttempt> failedAttempts() {
        return failedAttempts;
    }

    /**
     * Starts the next attempt, and times the one after; attempts that fail at once (no socket)
     * make way for the next at once. Ends the race when nothing is left to wait for.
     */
    private void startNext() {
        if (nextAttempt != null) {
            loop.cancel(nextAttempt); // it runs now, cancelled, and starts nothing
            nextAttempt = null;
        }
        while (started < targets.size() && loop.currentTimeNanos() < deadline) {
            if (startAttempt(started++)) {
                break;
            }
        }
        if (pending.isEmpty()) {
            end(null, failure != null ? failure : IoError.SOCKET_TIMEOUT); // nothing started: the time was up
        } else if (started < targets.size() && loop.currentTimeNanos() + attemptDelayNanos < deadline) {
            Task timer = new Task("connection-race-next-attempt", status -> {
                if (status == TaskStatus.RUN_READY && !ended) {
                    nextAttempt = null;
                    startNext();
                }
            });
            nextAttempt = timer;
            loop.scheduleFuture(timer, loop.currentTimeNanos() + attemptDelayNanos);
        }
    }

    /** Whether the attempt is under way; if it failed at once, it is recorded as failed. */
    private boolean startAttempt(int attempt) {
        ConnectTarget target = targets.get(attempt);
        Socket socket = null;
        try {
            Duration left = deadline == Long.MAX_VALUE ? Duration.ZERO
                    : Duration.ofNanos(Math.max(1, deadline - loop.currentTimeNanos()));
            socket = sockets.open(target, left);
            socket.connect(target.remote(), loop, (connected, error) -> onAttemptEnd(connected, error, attempt));
            pending.add(socket);
            return true;
        } catch (IoErrorException | RuntimeException e) {
            if (socket != null) {
                socket.close();
            }
            LOG.log(System.Logger.Level.DEBUG, "connect to " + target.remote() + " failed at once", e);
            fail(attempt, e instanceof IoErrorException ioe ? ioe.error() : IoError.SOCKET_INVALID_ADDRESS);
            return false;
        }
    }

    private void onAttemptEnd(Socket socket, IoError error, int attempt) {
        if (!pending.remove(socket)) {
            return; // a loser, closed when the race ended
        }
        if (error == null) {
            end(socket, null);
            return;
        }
        socket.close();
        HostAddress resolved = targets.get(attempt).resolved();
        if (resolved != null) {
            resolver.recordConnectionFailure(resolved);
        }
        fail(attempt, error);
        startNext();
    }

    private void fail(int attempt, IoError error) {
        failed[attempt] = new FailedAttempt(targets.get(attempt).remote(), error);
        failedAttempts = Stream.of(failed).filter(Objects::nonNull).toList();
        failure = failure == null ? error : mostTelling(error, failure);
    }

    private void end(Socket winner, IoError error) {
        ended = true;
        if (nextAttempt != null) {
            loop.cancel(nextAttempt);
            nextAttempt = null;
        }
        List<Socket> losers = List.copyOf(pending);
        pending.clear();
        for (Socket loser : losers) {
            loser.close(); // its connect reports SOCKET_CLOSED, which the race no longer hears
        }
        onEnd.onConnectionResult(winner, error);
    }

    /**
     * Of two failures, the one a caller would want to hear of: a refusal (something answers at
     * that host) over a timeout (an address that does not answer) over an unreachable network
     * (often a family the network lacks), over anything else; the earlier one when equal.
     */
    private static IoError mostTelling(IoError later, IoError earlier) {
        return rank(later) > rank(earlier) ? later : earlier;
    }

    private static int rank(IoError error) {
        return switch (error) {
            case SOCKET_CONNECTION_REFUSED -> 3;
            case SOCKET_TIMEOUT -> 2;
            case SOCKET_NO_ROUTE_TO_HOST, SOCKET_NETWORK_DOWN -> 1;
            default -> 0;
        };
    }
}
