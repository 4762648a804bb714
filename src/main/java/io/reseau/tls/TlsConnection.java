package io.reseau.tls;

import io.reseau.common.IoError;
import io.reseau.common.IoErrorException;
import io.reseau.internal.ffi.NativeMemory;
import io.reseau.internal.ffi.S2n;
import io.reseau.internal.ffi.S2nError;
import io.reseau.internal.ffi.S2nIo;
import io.reseau.internal.pool.SharedPool;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;

/**
 * TLS over bytes its owner moves: one s2n connection, driven from whichever thread calls, that
 * reads the ciphertext the owner hands to each call and writes ciphertext into the owner's buffer.
 * It is what an {@code SSLEngine} or a TLS socket over any transport sits on; it does no I/O of
 * its own and never blocks.
 *
 * <p>Each call takes the buffers it may use: s2n reads from {@code input} (from its position on,
 * advancing it) and writes into {@code output}; with no input left or no room left, the call
 * returns and says which it needs. s2n keeps what it could not write and writes it first at the
 * next call that gives room; bytes of a record that came only in part stay in s2n too.
 *
 * <p>Threads: calls must not overlap, except that one {@link #decrypt} may run while one
 * {@link #encrypt} or {@link #closeOutput} runs (s2n's own rule); {@link #handshake} runs alone.
 * Any thread may call, virtual ones included: s2n's error is read right after each failing
 * call, with nothing in between that could move a virtual thread to another OS thread.
 *
 * <p>A peer verifier in the options runs inside the handshake step that receives the peer's
 * certificates, on its thread, and a server's {@link ClientHelloChoice} inside the step that
 * reads the client's hello (see {@link S2nConnection} for why not later). During the handshake,
 * bytes whose record header cannot be TLS fail the step at once ({@link HandshakeRecordCheck}).
 *
 * <p>After a failure, the owner that moves the bytes decides when the peer learns of it: see
 * {@link #closeDelay()}.
 *
 * <p>Memory: the plaintext of a call passes through native scratch shared by all connections and
 * held only during the call (longer only for a record s2n could not write yet); s2n's record
 * buffers stay between calls until the owner gives them back with {@link #releaseBuffers()} when
 * the connection goes idle.
 */
public final class TlsConnection implements AutoCloseable {
    /** What a handshake step needs next. */
    public enum Progress {
        /** More bytes from the peer. */
        NEEDS_INPUT,
        /** Room to write (s2n holds bytes for the peer). */
        NEEDS_OUTPUT,
        /** The handshake succeeded: {@link #negotiation()} says what was agreed. */
        DONE
    }

    /** Plaintext bytes per s2n call: one full record. */
    static final int RECORD_PLAINTEXT = 16 * 1024;
    private static final long READ_STATUS = 0;
    private static final long WRITE_STATUS = 4;
    /**
     * Plaintext scratch between the caller's buffers and s2n (s2n reads and writes native memory),
     * shared: a call holds one only while it runs, which never waits. Four per processor are kept
     * (64 KiB a processor): as many as the calls that can run at once, and room for the records s2n
     * could not write out yet.
     */
    private static final SharedPool<MemorySegment> SCRATCH = new SharedPool<>(
            4 * Runtime.getRuntime().availableProcessors(), () -> NativeMemory.allocate(RECORD_PLAINTEXT), NativeMemory::free);

    private final S2nConnection s2n;
    private final MemorySegment connection;
    // s2n's blocked-status out-parameters: one for the reading side (and the handshake), one for the
    // writing side, which may run at the same time.
    private final MemorySegment statuses;
    private MemorySegment sendScratch; // plaintext for s2n_send while an encrypt runs or s2n has not written it all
    // Bytes of sendScratch s2n encrypted but could not write yet: s2n wants them presented again.
    private int unsentFrom;
    private int unsentTo;
    private ByteBuffer input; // during a call that reads
    private ByteBuffer output; // during a call that writes
    private HandshakeRecordCheck recordCheck; // while the handshake runs
    private String notTls; // why the peer's bytes cannot be TLS, once the record check found it
    private volatile TlsNegotiation negotiation;
    private volatile TlsFailure failure;
    // A TLS 1.3 server's tickets follow its last handshake message. Written while the output had no
    // room, they wait in s2n, and a later s2n_negotiate (the handshake being over) does not flush
    // them: a send of nothing does, as every s2n_send flushes first.
    private boolean handshakeTail;
    private byte[] lastAlert; // a refused client's alert, made once: see closeOutput
    private boolean closeNotifySent;
    private boolean waitsOutDelay; // holds one of BlindingDelays' places
    private boolean closed;

    private TlsConnection(TlsConnectionOptions options, ClientHelloChoice helloChoice) throws IoErrorException {
        this.statuses = NativeMemory.allocate(2 * Integer.BYTES);
        try {
            this.s2n = S2nConnection.open(options, new Transport(), helloChoice);
        } catch (IoErrorException | RuntimeException e) {
            NativeMemory.free(statuses);
            throw e;
        }
        this.connection = s2n.handle();
        this.recordCheck = new HandshakeRecordCheck(s2n.client());
    }

    /**
     * A connection in the mode of {@code options}' context (client or server), ready for its first
     * {@link #handshake} step.
     *
     * @throws IllegalStateException if the context is closed
     * @throws IllegalArgumentException if the context needs a peer verifier and the options have none
     */
    public static TlsConnection open(TlsConnectionOptions options) throws IoErrorException {
        return new TlsConnection(Objects.requireNonNull(options, "options"), null);
    }

    /**
     * A server connection that makes {@code helloChoice} when the client's hello arrives, inside
     * that handshake step.
     *
     * @throws IllegalArgumentException if {@code options}' context is a client's
     */
    public static TlsConnection open(TlsConnectionOptions options, ClientHelloChoice helloChoice) throws IoErrorException {
        return new TlsConnection(Objects.requireNonNull(options, "options"), Objects.requireNonNull(helloChoice, "helloChoice"));
    }

    public boolean isClient() {
        return s2n.client();
    }

    // ---- the handshake ----

    /**
     * Takes the handshake as far as {@code input} and room in {@code output} allow (either may be
     * null: none). After {@link Progress#DONE}, further steps return DONE at once.
     *
     * @throws IoErrorException {@code TLS_ERROR_NEGOTIATION_FAILURE}: the handshake failed
     *     ({@link #failure()} says why); the connection can only be closed
     */
    public Progress handshake(ByteBuffer input, ByteBuffer output) throws IoErrorException {
        requireUsable();
        if (negotiation != null) {
            return Progress.DONE;
        }
        MemorySegment blocked = statuses.asSlice(READ_STATUS, Integer.BYTES);
        this.input = input;
        this.output = output;
        int result;
        S2nError error;
        try {
            result = S2n.negotiate(connection, blocked);
            error = result == 0 ? null : S2n.lastError(); // at once, on this thread
        } finally {
            this.input = null;
            this.output = null;
        }
        if (result == 0) {
            negotiation = s2n.negotiated();
            s2n.handshakeFinished();
            handshakeTail = !flush(output);
            recordCheck = null;
            return Progress.DONE;
        }
        if (notTls != null) {
            throw fail(IoError.TLS_ERROR_NEGOTIATION_FAILURE, null, notTls);
        }
        if (!error.isBlocked()) {
            throw fail(IoError.TLS_ERROR_NEGOTIATION_FAILURE, error,
                    s2n.refusal() != null ? s2n.refusal() : error.message());
        }
        return blocked.get(ValueLayout.JAVA_INT, 0) == S2n.BLOCKED_ON_WRITE ? Progress.NEEDS_OUTPUT : Progress.NEEDS_INPUT;
    }

    /** What the handshake agreed, once it is done; null before. */
    public TlsNegotiation negotiation() {
        return negotiation;
    }

    /** Why the connection failed, once it has; null before. */
    public TlsFailure failure() {
        return failure;
    }

    // ---- data ----

    /**
     * Encrypts up to one record (16 KiB) of the plaintext remaining in {@code plaintext[offset,
     * offset + length)}, advancing those buffers, into {@code output}. Bytes s2n could not write for
     * want of room count as taken: they go out first at the next call ({@link #hasUnsentOutput()}).
     *
     * @return the plaintext bytes taken
     * @throws IoErrorException {@code TLS_ERROR_WRITE_FAILURE} ({@link #failure()} says why)
     */
    public int encrypt(ByteBuffer[] plaintext, int offset, int length, ByteBuffer output) throws IoErrorException {
        requireNegotiated();
        try {
            return encryptRecord(plaintext, offset, length, output);
        } finally {
            if (unsentTo == unsentFrom && sendScratch != null) {
                SCRATCH.giveBack(sendScratch);
                sendScratch = null;
            }
        }
    }

    private int encryptRecord(ByteBuffer[] plaintext, int offset, int length, ByteBuffer output) throws IoErrorException {
        if (handshakeTail) {
            handshakeTail = !flush(output);
            if (handshakeTail) {
                return 0;
            }
        }
        if (unsentTo > unsentFrom && !sendUnsent(output)) {
            return 0;
        }
        if (sendScratch == null) {
            sendScratch = SCRATCH.take();
        }
        int taken = 0;
        for (int i = offset; i < offset + length && taken < RECORD_PLAINTEXT; i++) {
            ByteBuffer source = plaintext[i];
            int n = Math.min(source.remaining(), RECORD_PLAINTEXT - taken);
            MemorySegment.copy(MemorySegment.ofBuffer(source), 0, sendScratch, taken, n);
            source.position(source.position() + n);
            taken += n;
        }
        if (taken > 0) {
            unsentFrom = 0;
            unsentTo = taken;
            sendUnsent(output);
        }
        return taken;
    }

    /** Presents s2n the bytes it has taken and not written; whether they are all out now. */
    private boolean sendUnsent(ByteBuffer output) throws IoErrorException {
        this.output = output;
        long n;
        S2nError error;
        try {
            n = S2n.send(connection, sendScratch.asSlice(unsentFrom), unsentTo - unsentFrom, statuses.asSlice(WRITE_STATUS, Integer.BYTES));
            error = n < 0 ? S2n.lastError() : null; // at once, on this thread
        } finally {
            this.output = null;
        }
        if (n >= 0) {
            unsentFrom += (int) n;
            return unsentFrom == unsentTo;
        }
        if (!error.isBlocked()) {
            throw fail(IoError.TLS_ERROR_WRITE_FAILURE, error, error.message());
        }
        return false;
    }

    /** Writes into {@code output} what s2n holds from earlier calls; whether it is all out. */
    private boolean flush(ByteBuffer output) throws IoErrorException {
        this.output = output;
        long n;
        S2nError error;
        try {
            n = S2n.send(connection, statuses, 0, statuses.asSlice(WRITE_STATUS, Integer.BYTES));
            error = n < 0 ? S2n.lastError() : null; // at once, on this thread
        } finally {
            this.output = null;
        }
        if (n >= 0) {
            return true;
        }
        if (!error.isBlocked()) {
            throw fail(IoError.TLS_ERROR_WRITE_FAILURE, error, error.message());
        }
        return false;
    }

    /**
     * Plaintext s2n has decrypted and not yet given out: what {@link #decrypt} returns without
     * further input. A call of the receiving side, like decrypt.
     */
    public int pendingPlaintext() {
        requireNegotiated();
        return S2n.peek(connection);
    }

    /** Whether s2n holds ciphertext that an {@link #encrypt} or {@link #closeOutput} with room will write. */
    public boolean hasUnsentOutput() {
        return handshakeTail || unsentTo > unsentFrom;
    }

    /**
     * Decrypts what {@code input} holds into {@code plaintext[offset, offset + length)}, up to one
     * record's worth (16 KiB) and the room there, advancing the buffers. Records that carry no
     * plaintext (a ticket, a key update) are taken and give 0.
     *
     * @return the plaintext bytes given; 0 when input or room ran out first; -1 once the peer sent
     *     close_notify
     * @throws IoErrorException {@code TLS_ERROR_READ_FAILURE}: a bad record or the peer's alert
     *     ({@link #failure()} says why)
     */
    public int decrypt(ByteBuffer input, ByteBuffer[] plaintext, int offset, int length) throws IoErrorException {
        requireNegotiated();
        long room = 0;
        for (int i = offset; i < offset + length; i++) {
            room += plaintext[i].remaining();
        }
        if (room == 0) {
            return 0;
        }
        MemorySegment scratch = SCRATCH.take();
        try {
            return decryptInto(scratch, Math.min(room, RECORD_PLAINTEXT), input, plaintext, offset, length);
        } finally {
            SCRATCH.giveBack(scratch);
        }
    }

    private int decryptInto(MemorySegment scratch, long room, ByteBuffer input, ByteBuffer[] plaintext, int offset, int length)
            throws IoErrorException {
        this.input = input;
        long n;
        S2nError error;
        try {
            n = S2n.recv(connection, scratch, room, statuses.asSlice(READ_STATUS, Integer.BYTES));
            error = n < 0 ? S2n.lastError() : null; // at once, on this thread
        } finally {
            this.input = null;
        }
        if (n == 0 || (error != null && error.type() == S2n.ERR_T_CLOSED)) {
            return -1;
        }
        if (n < 0) {
            if (error.isBlocked()) {
                return 0;
            }
            throw fail(IoError.TLS_ERROR_READ_FAILURE, error, error.message());
        }
        long copied = 0;
        for (int i = offset; i < offset + length && copied < n; i++) {
            ByteBuffer target = plaintext[i];
            int m = (int) Math.min(target.remaining(), n - copied);
            MemorySegment.copy(scratch, copied, MemorySegment.ofBuffer(target), 0, m);
            target.position(target.position() + m);
            copied += m;
        }
        return (int) n;
    }

    /**
     * Gives back what only records on the move need, for a connection that goes idle: s2n's two
     * record buffers (about 16 KiB each; the next record allocates them again), unless s2n still
     * holds bytes in them (part of a record from the peer, plaintext not yet given out, records
     * not yet written), which it keeps. No other call may run during this one: it touches both
     * sides.
     *
     * @return whether s2n held nothing, so that the next bytes from the peer start a record
     */
    public boolean releaseBuffers() {
        requireNegotiated();
        if (hasUnsentOutput()) {
            return false;
        }
        return S2n.connectionReleaseBuffers(connection) == 0; // a refusal only says that s2n holds bytes
    }

    // ---- the end ----

    /**
     * Writes close_notify into {@code output} (after anything s2n still held), once: TLS's
     * half-close; the connection can still decrypt. After a failure it writes the alert that
     * tells the peer, once s2n's blinding delay has passed ({@link #closeDelay()}; nothing is
     * written during it); a server's client refused for want of a certificate gets
     * {@code certificate_required} (TLS 1.3) or {@code handshake_failure} (TLS 1.2) at once, as
     * from JSSE, instead of s2n's close_notify ({@link CertificateRequiredAlert}).
     *
     * @return whether the close is all written (false: call again with room)
     */
    public boolean closeOutput(ByteBuffer output) {
        requireUsable();
        if (closeNotifySent) {
            return true;
        }
        if (failure != null && lastAlert == null) {
            lastAlert = CertificateRequiredAlert.answering(connection, failure.s2nError());
        }
        if (lastAlert != null) {
            if (output.remaining() < lastAlert.length) {
                return false;
            }
            output.put(lastAlert);
            closeNotifySent = true;
            return true;
        }
        this.output = output;
        int result;
        S2nError error;
        try {
            result = S2n.shutdownSend(connection, statuses.asSlice(WRITE_STATUS, Integer.BYTES));
            error = result == 0 ? null : S2n.lastError(); // at once, on this thread
        } finally {
            this.output = null;
        }
        if (result != 0 && error.isBlocked()) {
            return false;
        }
        closeNotifySent = true;
        unsentFrom = unsentTo; // what s2n held went out before the alert
        handshakeTail = false;
        return true;
    }

    /**
     * After a failure: how long the owner should let the peer hear nothing before
     * {@link #closeOutput} writes the alert and the transport closes, so that the peer cannot time
     * the failure. It is s2n's blinding delay (10-30 s) after failures whose timing could tell a
     * secret (a record that fails to decrypt, a handshake message that fails to parse or verify),
     * and zero after the others (no protocol in common, the peer's own alert, a client without the
     * certificate a server requires). The owner waits without a thread blocked for it. A positive
     * delay holds one of the process's places for connections that wait
     * ({@code -Dreseau.tls.maxBlindedConnections}) until {@link #close()}, and gives back what only
     * the handshake needed; with no place left the answer is zero, and the connection closes at
     * once without its alert. No other call may run during this one.
     */
    public Duration closeDelay() {
        requireUsable();
        if (failure == null || waitsOutDelay) {
            return Duration.ZERO;
        }
        long delay = BlindingDelays.delayNanos(connection, failure.s2nError());
        if (delay <= 0 || !BlindingDelays.tryEnter()) {
            return Duration.ZERO;
        }
        waitsOutDelay = true;
        S2n.connectionFreeHandshake(connection); // the wait needs only what writes the last alert
        S2n.connectionReleaseBuffers(connection);
        return Duration.ofNanos(delay);
    }

    /** Frees the s2n connection and gives up the context. No call may run during it or follow it. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (waitsOutDelay) {
            BlindingDelays.leave();
        }
        s2n.free();
        NativeMemory.free(statuses);
        if (sendScratch != null) {
            SCRATCH.giveBack(sendScratch);
        }
    }

    private IoErrorException fail(IoError error, S2nError s2nError, String message) {
        TlsFailure failed = s2n.failure(error, s2nError, message);
        failure = failed;
        return new IoErrorException(error, failed.toString());
    }

    private void requireUsable() {
        if (closed) {
            throw new IllegalStateException("the TLS connection is closed");
        }
    }

    private void requireNegotiated() {
        requireUsable();
        if (negotiation == null) {
            throw new IllegalStateException("the TLS handshake is not done");
        }
    }

    @Override
    public String toString() {
        TlsNegotiation agreed = negotiation;
        return "TlsConnection[" + (s2n.client() ? "client" : "server")
                + (agreed != null ? ", " + agreed.version() + " " + agreed.cipherSuite() : failure != null ? ", failed" : ", handshaking")
                + "]";
    }

    /** s2n's bytes: the current call's input and output, nothing else. */
    private final class Transport implements S2nIo {
        @Override
        public int receive(MemorySegment buffer) {
            ByteBuffer from = input;
            if (from == null || !from.hasRemaining()) {
                return BLOCKED;
            }
            int n = (int) Math.min(from.remaining(), buffer.byteSize());
            MemorySegment received = MemorySegment.ofBuffer(from);
            if (recordCheck != null && notTls == null) {
                notTls = recordCheck.follow(received, n);
            }
            if (notTls != null) {
                return BLOCKED; // the step ends, and fails with the reason
            }
            MemorySegment.copy(received, 0, buffer, 0, n);
            from.position(from.position() + n);
            return n;
        }

        @Override
        public int send(MemorySegment buffer) {
            ByteBuffer to = output;
            if (to == null || !to.hasRemaining()) {
                return BLOCKED;
            }
            int n = (int) Math.min(to.remaining(), buffer.byteSize());
            MemorySegment.copy(buffer, 0, MemorySegment.ofBuffer(to), 0, n);
            to.position(to.position() + n);
            return n;
        }
    }
}
