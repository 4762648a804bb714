package io.reseau.internal.ffi;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * s2n-tls calls (native-headers/s2n.h), through {@link S2nLibrary}. Calls return s2n's result
 * ({@code 0}/{@code -1}, a pointer or {@code NULL}, a byte count); after a failure,
 * {@link #lastError()} says why, and must be read on the same OS thread right after: s2n keeps its
 * error in a thread-local variable. A virtual thread may make the calls too, as long as nothing
 * between the failing call and {@code lastError()} can park it (a park may move it to another OS
 * thread): consecutive downcalls with plain Java between them stay on one carrier.
 *
 * <p>Connections do their I/O through {@link S2nIo}: {@link #setIo} wires a connection to one,
 * which s2n then calls back on the thread of the call that needs bytes.
 */
public final class S2n {
    public static final int SERVER = 0;
    public static final int CLIENT = 1;
    public static final int NOT_BLOCKED = 0;
    public static final int BLOCKED_ON_READ = 1;
    public static final int BLOCKED_ON_WRITE = 2;
    public static final int ERR_T_OK = 0;
    public static final int ERR_T_IO = 1;
    public static final int ERR_T_CLOSED = 2;
    public static final int ERR_T_BLOCKED = 3;
    public static final int ERR_T_ALERT = 4;
    public static final int ERR_T_PROTO = 5;
    public static final int ERR_T_INTERNAL = 6;
    public static final int ERR_T_USAGE = 7;
    public static final int SELF_SERVICE_BLINDING = 1;
    public static final int CERT_AUTH_NONE = 0;
    public static final int CERT_AUTH_REQUIRED = 1;
    public static final int CERT_AUTH_OPTIONAL = 2;
    public static final int TLS10 = 31;
    public static final int TLS11 = 32;
    public static final int TLS12 = 33;
    public static final int TLS13 = 34;

    private static final int EAGAIN = 11;
    private static final int EPIPE = 32;
    private static final ConcurrentHashMap<Long, S2nIo> IO_BY_CONTEXT = new ConcurrentHashMap<>();
    private static volatile S2nError lastBlocked; // see lastError()
    private static final ConcurrentHashMap<Long, S2nCertificateCheck> CHECK_BY_CONNECTION = new ConcurrentHashMap<>();
    private static final ConcurrentHashMap<Long, S2nKeyLog> KEY_LOG_BY_CONFIG = new ConcurrentHashMap<>();
    private static final ConcurrentHashMap<Long, S2nClientHelloCheck> HELLO_CHECK_BY_CONNECTION = new ConcurrentHashMap<>();
    private static final ConcurrentHashMap<Long, S2nSessionTicket> TICKETS_BY_CONNECTION = new ConcurrentHashMap<>();
    private static final int EXTENSION_ALPN = 16;
    private static final AtomicLong NEXT_CONTEXT = new AtomicLong(1);

    private S2n() {}

    /** Loads and initialises s2n, or throws {@link IllegalStateException} saying why it cannot be. */
    public static void ensureLoaded() {
        S2nLibrary.ensureLoaded();
    }

    // s2n's callbacks into this class, made once the library is loaded (ensureLoaded first).
    private static final class Stubs {
        static final MemorySegment RECV_STUB = upcall("receiveUpcall",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
        static final MemorySegment SEND_STUB = upcall("sendUpcall", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
        static final MemorySegment CERT_VALIDATION_STUB = upcall("certificateValidationUpcall",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
        static final MemorySegment KEY_LOG_STUB = upcall("keyLogUpcall",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG));
        static final MemorySegment ANY_HOST_STUB = upcall("anyHostUpcall",
                FunctionDescriptor.of(JAVA_BYTE, ADDRESS, JAVA_LONG, ADDRESS));
        static final MemorySegment CLIENT_HELLO_STUB = upcall("clientHelloUpcall",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        static final MemorySegment SESSION_TICKET_STUB = upcall("sessionTicketUpcall",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));

        private static MemorySegment upcall(String method, FunctionDescriptor descriptor) {
            try {
                MethodHandle target = MethodHandles.lookup().findStatic(S2n.class, method, descriptor.toMethodType());
                return Downcalls.upcall(target, descriptor);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }
    }

    // ---- errors ----

    /**
     * The error of this OS thread's last failed s2n call. "Blocked" ends every pass of reads (the
     * queued ciphertext is used up), so that error is made once and handed out again: its name and
     * message are fixed per code, and where s2n raised it says nothing a caller acts on.
     */
    public static S2nError lastError() {
        try {
            int code = ((MemorySegment) S2nFunctions.ERRNO_LOCATION.invokeExact()).reinterpret(Integer.BYTES).get(JAVA_INT, 0);
            S2nError blocked = lastBlocked;
            if (blocked != null && blocked.code() == code) {
                return blocked;
            }
            S2nError error = new S2nError(code, string((MemorySegment) S2nFunctions.STRERROR_NAME.invokeExact(code)),
                    string((MemorySegment) S2nFunctions.STRERROR.invokeExact(code, MemorySegment.NULL)),
                    string((MemorySegment) S2nFunctions.STRERROR_DEBUG.invokeExact(code, MemorySegment.NULL)));
            if (error.isBlocked()) {
                lastBlocked = error;
            }
            return error;
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    // ---- configs ----

    /** A config without system CAs loaded (s2n's defaults are wrong for some distributions); NULL on failure. */
    public static MemorySegment configNewMinimal() {
        try {
            return (MemorySegment) S2nFunctions.CONFIG_NEW_MINIMAL.invokeExact();
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /** Frees a config no connection uses any more. */
    public static int configFree(MemorySegment config) {
        KEY_LOG_BY_CONFIG.remove(config.address()); // first: a config made next may have the same address
        try {
            return (int) S2nFunctions.CONFIG_FREE.invokeExact(config);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    public static int configSetCipherPreferences(MemorySegment config, String policy) {
        try (Arena arena = Arena.ofConfined()) {
            return (int) S2nFunctions.CONFIG_SET_CIPHER_PREFERENCES.invokeExact(config, arena.allocateFrom(policy));
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    public static int configSetProtocolPreferences(MemorySegment config, List<String> protocols) {
        try (Arena arena = Arena.ofConfined()) {
            return (int) S2nFunctions.CONFIG_SET_PROTOCOL_PREFERENCES.invokeExact(config, stringArray(arena, protocols), protocols.size());
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /** Either may be null. */
    public static int configSetVerificationCaLocation(MemorySegment config, String caFile, String caDirectory) {
        try (Arena arena = Arena.ofConfined()) {
            return (int) S2nFunctions.CONFIG_SET_VERIFICATION_CA_LOCATION.invokeExact(config, cString(arena, caFile),
                    cString(arena, caDirectory));
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    public static int configAddPemToTrustStore(MemorySegment config, String pem) {
        try (Arena arena = Arena.ofConfined()) {
            return (int) S2nFunctions.CONFIG_ADD_PEM_TO_TRUST_STORE.invokeExact(config, arena.allocateFrom(pem));
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    public static int configWipeTrustStore(MemorySegment config) {
        try {
            return (int) S2nFunctions.CONFIG_WIPE_TRUST_STORE.invokeExact(config);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    public static int configSetClientAuthType(MemorySegment config, int type) {
        try {
            return (int) S2nFunctions.CONFIG_SET_CLIENT_AUTH_TYPE.invokeExact(config, type);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    public static int configDisableX509Verification(MemorySegment config) {
        try {
            return (int) S2nFunctions.CONFIG_DISABLE_X509_VERIFICATION.invokeExact(config);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /**
     * Makes connections of {@code config} ask their {@link S2nCertificateCheck} (see
     * {@link #setCertificateCheck}) about every peer chain that passed s2n's own verification;
     * a connection without one accepts. (With verification off, s2n keeps no chain to ask about.)
     */
    public static int configUseCertificateChecks(MemorySegment config) {
        try {
            return (int) S2nFunctions.CONFIG_SET_CERT_VALIDATION_CB.invokeExact(config, Stubs.CERT_VALIDATION_STUB, MemorySegment.NULL);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /**
     * Makes s2n accept a peer certificate whatever host name it names, for an owner that checks
     * names itself (a Java trust manager with endpoint identification). The chain is still verified.
     */
    public static int configAcceptAnyHostName(MemorySegment config) {
        try {
            return (int) S2nFunctions.CONFIG_SET_VERIFY_HOST_CALLBACK.invokeExact(config, Stubs.ANY_HOST_STUB, MemorySegment.NULL);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /** Hands the secrets of {@code config}'s connections to {@code log} as s2n derives them (its key log callback). */
    public static int configSetKeyLog(MemorySegment config, S2nKeyLog log) {
        KEY_LOG_BY_CONFIG.put(config.address(), log);
        try {
            int result = (int) S2nFunctions.CONFIG_SET_KEY_LOG_CB.invokeExact(config, Stubs.KEY_LOG_STUB, config);
            if (result != 0) {
                KEY_LOG_BY_CONFIG.remove(config.address());
            }
            return result;
        } catch (Throwable t) {
            KEY_LOG_BY_CONFIG.remove(config.address());
            throw Downcalls.rethrow(t);
        }
    }

    /** What {@code connection} asks about its peer's chain, if its config uses checks; null forgets it. */
    public static void setCertificateCheck(MemorySegment connection, S2nCertificateCheck check) {
        if (check == null) {
            CHECK_BY_CONNECTION.remove(connection.address());
        } else {
            CHECK_BY_CONNECTION.put(connection.address(), check);
        }
    }

    /**
     * Makes server connections of {@code config} ask their {@link S2nClientHelloCheck} (see
     * {@link #setClientHelloCheck}) about the client's hello before answering it; a connection
     * without one goes on.
     */
    public static int configUseClientHelloChecks(MemorySegment config) {
        try {
            return (int) S2nFunctions.CONFIG_SET_CLIENT_HELLO_CB.invokeExact(config, Stubs.CLIENT_HELLO_STUB, MemorySegment.NULL);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /** What {@code connection} asks about the client's hello, if its config uses checks; null forgets it. */
    public static void setClientHelloCheck(MemorySegment connection, S2nClientHelloCheck check) {
        if (check == null) {
            HELLO_CHECK_BY_CONNECTION.remove(connection.address());
        } else {
            HELLO_CHECK_BY_CONNECTION.put(connection.address(), check);
        }
    }

    /** The ALPN protocols of the client's hello, in its order; empty if it offers none. During the hello check. */
    public static List<String> offeredProtocols(MemorySegment connection) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment hello = (MemorySegment) S2nFunctions.CONNECTION_GET_CLIENT_HELLO.invokeExact(connection);
            if (hello.equals(MemorySegment.NULL)) {
                return List.of();
            }
            long length = (long) S2nFunctions.CLIENT_HELLO_GET_EXTENSION_LENGTH.invokeExact(hello, EXTENSION_ALPN);
            if (length <= 2) {
                return List.of();
            }
            MemorySegment extension = arena.allocate(length);
            long copied = (long) S2nFunctions.CLIENT_HELLO_GET_EXTENSION_BY_ID.invokeExact(hello, EXTENSION_ALPN, extension, (int) length);
            // RFC 7301: a 2-byte list length, then names of a 1-byte length each.
            List<String> protocols = new ArrayList<>();
            for (long at = 2; at < copied; ) {
                int nameLength = Byte.toUnsignedInt(extension.get(JAVA_BYTE, at));
                if (at + 1 + nameLength > copied) {
                    break;
                }
                protocols.add(new String(extension.asSlice(at + 1, nameLength).toArray(JAVA_BYTE), StandardCharsets.UTF_8));
                at += 1 + nameLength;
            }
            return protocols;
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    // ---- session tickets ----

    /** Turns session tickets on for {@code config}'s connections (a client's asking for them, a server's issuing them). */
    public static int configEnableSessionTickets(MemorySegment config) {
        try {
            return (int) S2nFunctions.CONFIG_SET_SESSION_TICKETS_ONOFF.invokeExact(config, (byte) 1);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /**
     * Adds a server's ticket key (once tickets are on): {@code name} up to 16 bytes and unique,
     * {@code key} its secret, used to encrypt from {@code introducedSeconds} (since the epoch) on.
     */
    public static int configAddTicketKey(MemorySegment config, byte[] name, byte[] key, long introducedSeconds) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment nameBytes = arena.allocateFrom(JAVA_BYTE, name);
            MemorySegment keyBytes = arena.allocateFrom(JAVA_BYTE, key);
            try {
                return (int) S2nFunctions.CONFIG_ADD_TICKET_CRYPTO_KEY.invokeExact(config, nameBytes, name.length, keyBytes, key.length,
                        introducedSeconds);
            } finally {
                keyBytes.fill((byte) 0);
            }
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /**
     * How long a server's ticket key encrypts new tickets after its intro time, how long it then
     * still decrypts them, and how long a session state in a ticket stays resumable.
     */
    public static int configSetTicketLifetimes(MemorySegment config, long encryptSeconds, long decryptSeconds, long sessionSeconds) {
        try {
            int result = (int) S2nFunctions.CONFIG_SET_TICKET_ENCRYPT_DECRYPT_KEY_LIFETIME.invokeExact(config, encryptSeconds);
            if (result == 0) {
                result = (int) S2nFunctions.CONFIG_SET_TICKET_DECRYPT_KEY_LIFETIME.invokeExact(config, decryptSeconds);
            }
            if (result == 0) {
                result = (int) S2nFunctions.CONFIG_SET_SESSION_STATE_LIFETIME.invokeExact(config, sessionSeconds);
            }
            return result;
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /**
     * Makes client connections of {@code config} hand the tickets they receive to their
     * {@link S2nSessionTicket} (see {@link #setSessionTicketListener}); a connection without one drops them.
     */
    public static int configUseSessionTicketListeners(MemorySegment config) {
        try {
            return (int) S2nFunctions.CONFIG_SET_SESSION_TICKET_CB.invokeExact(config, Stubs.SESSION_TICKET_STUB, MemorySegment.NULL);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /** Where {@code connection}'s tickets go, if its config uses listeners; null forgets it. */
    public static void setSessionTicketListener(MemorySegment connection, S2nSessionTicket listener) {
        if (listener == null) {
            TICKETS_BY_CONNECTION.remove(connection.address());
        } else {
            TICKETS_BY_CONNECTION.put(connection.address(), listener);
        }
    }

    /** A client resumes from {@code session} (what a ticket listener received), before its first negotiate. */
    public static int connectionSetSession(MemorySegment connection, byte[] session) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment bytes = arena.allocateFrom(JAVA_BYTE, session);
            try {
                return (int) S2nFunctions.CONNECTION_SET_SESSION.invokeExact(connection, bytes, (long) session.length);
            } finally {
                bytes.fill((byte) 0);
            }
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /** Whether the handshake resumed an earlier session (abbreviated: no certificates). */
    public static boolean isSessionResumed(MemorySegment connection) {
        try {
            return (int) S2nFunctions.CONNECTION_IS_SESSION_RESUMED.invokeExact(connection) == 1;
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    public static int configAddCertChainAndKeyToStore(MemorySegment config, MemorySegment chainAndKey) {
        try {
            return (int) S2nFunctions.CONFIG_ADD_CERT_CHAIN_AND_KEY_TO_STORE.invokeExact(config, chainAndKey);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /** NULL on failure. */
    public static MemorySegment certChainAndKeyNew() {
        try {
            return (MemorySegment) S2nFunctions.CERT_CHAIN_AND_KEY_NEW.invokeExact();
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    public static int certChainAndKeyLoadPem(MemorySegment chainAndKey, byte[] chainPem, byte[] keyPem) {
        try (Arena arena = Arena.ofConfined()) {
            return (int) S2nFunctions.CERT_CHAIN_AND_KEY_LOAD_PEM_BYTES.invokeExact(chainAndKey,
                    arena.allocateFrom(JAVA_BYTE, chainPem), chainPem.length, arena.allocateFrom(JAVA_BYTE, keyPem), keyPem.length);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    public static int certChainAndKeyFree(MemorySegment chainAndKey) {
        try {
            return (int) S2nFunctions.CERT_CHAIN_AND_KEY_FREE.invokeExact(chainAndKey);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    // ---- connections ----

    /** {@link #CLIENT} or {@link #SERVER}; NULL on failure. */
    public static MemorySegment connectionNew(int mode) {
        try {
            return (MemorySegment) S2nFunctions.CONNECTION_NEW.invokeExact(mode);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    public static int connectionSetConfig(MemorySegment connection, MemorySegment config) {
        try {
            return (int) S2nFunctions.CONNECTION_SET_CONFIG.invokeExact(connection, config);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /**
     * Makes {@code connection} read and write through {@code io}, and returns the handle to give to
     * {@link #releaseIo} once the connection is freed.
     */
    public static long setIo(MemorySegment connection, S2nIo io) {
        long context = NEXT_CONTEXT.getAndIncrement();
        IO_BY_CONTEXT.put(context, io);
        MemorySegment ctx = MemorySegment.ofAddress(context);
        try {
            if ((int) S2nFunctions.CONNECTION_SET_RECV_CB.invokeExact(connection, Stubs.RECV_STUB) != 0
                    || (int) S2nFunctions.CONNECTION_SET_SEND_CB.invokeExact(connection, Stubs.SEND_STUB) != 0
                    || (int) S2nFunctions.CONNECTION_SET_RECV_CTX.invokeExact(connection, ctx) != 0
                    || (int) S2nFunctions.CONNECTION_SET_SEND_CTX.invokeExact(connection, ctx) != 0) {
                IO_BY_CONTEXT.remove(context);
                return 0;
            }
            return context;
        } catch (Throwable t) {
            IO_BY_CONTEXT.remove(context);
            throw Downcalls.rethrow(t);
        }
    }

    /** Forgets the I/O of a freed connection. */
    public static void releaseIo(long context) {
        IO_BY_CONTEXT.remove(context);
    }

    public static int connectionSetSelfServiceBlinding(MemorySegment connection) {
        try {
            return (int) S2nFunctions.CONNECTION_SET_BLINDING.invokeExact(connection, SELF_SERVICE_BLINDING);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    public static int connectionSetProtocolPreferences(MemorySegment connection, List<String> protocols) {
        try (Arena arena = Arena.ofConfined()) {
            return (int) S2nFunctions.CONNECTION_SET_PROTOCOL_PREFERENCES.invokeExact(connection, stringArray(arena, protocols),
                    protocols.size());
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    public static int connectionSetClientAuthType(MemorySegment connection, int type) {
        try {
            return (int) S2nFunctions.CONNECTION_SET_CLIENT_AUTH_TYPE.invokeExact(connection, type);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /** 16 KiB records: fewer records, and fewer calls, for bulk data. */
    public static int connectionPreferThroughput(MemorySegment connection) {
        try {
            return (int) S2nFunctions.CONNECTION_PREFER_THROUGHPUT.invokeExact(connection);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /** Frees what only the handshake needed (its hashes and buffers), once it is done. */
    public static int connectionFreeHandshake(MemorySegment connection) {
        try {
            return (int) S2nFunctions.CONNECTION_FREE_HANDSHAKE.invokeExact(connection);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /** Frees the record buffers while they hold nothing; s2n allocates them again for the next record. */
    public static int connectionReleaseBuffers(MemorySegment connection) {
        try {
            return (int) S2nFunctions.CONNECTION_RELEASE_BUFFERS.invokeExact(connection);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    public static int setServerName(MemorySegment connection, String serverName) {
        try (Arena arena = Arena.ofConfined()) {
            return (int) S2nFunctions.SET_SERVER_NAME.invokeExact(connection, arena.allocateFrom(serverName));
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /** The SNI name: the one set (client), or the one the client sent (server); null if none. */
    public static String serverName(MemorySegment connection) {
        try {
            return string((MemorySegment) S2nFunctions.GET_SERVER_NAME.invokeExact(connection));
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    public static int connectionFree(MemorySegment connection) {
        try {
            return (int) S2nFunctions.CONNECTION_FREE.invokeExact(connection);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /** {@code blocked}: an int the call sets to {@link #NOT_BLOCKED}, {@link #BLOCKED_ON_READ}, ... */
    public static int negotiate(MemorySegment connection, MemorySegment blocked) {
        try {
            return (int) S2nFunctions.NEGOTIATE.invokeExact(connection, blocked);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /** {@code data}: native memory. Bytes taken, or -1. */
    public static long send(MemorySegment connection, MemorySegment data, long length, MemorySegment blocked) {
        try {
            return (long) S2nFunctions.SEND.invokeExact(connection, data, length, blocked);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /** {@code into}: native memory. Bytes read, 0 once the peer closed (close_notify), or -1. */
    public static long recv(MemorySegment connection, MemorySegment into, long length, MemorySegment blocked) {
        try {
            return (long) S2nFunctions.RECV.invokeExact(connection, into, length, blocked);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /** Decrypted bytes s2n holds that {@link #recv} can return without reading more. */
    public static int peek(MemorySegment connection) {
        try {
            return (int) S2nFunctions.PEEK.invokeExact(connection);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /** Sends close_notify without waiting for the peer's. */
    public static int shutdownSend(MemorySegment connection, MemorySegment blocked) {
        try {
            return (int) S2nFunctions.SHUTDOWN_SEND.invokeExact(connection, blocked);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /** With self-service blinding: how long, in nanoseconds, the connection must wait before it closes. */
    public static long delayNanos(MemorySegment connection) {
        try {
            return (long) S2nFunctions.CONNECTION_GET_DELAY.invokeExact(connection);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    // ---- what was negotiated ----

    /** The ALPN protocol, or null if none. */
    public static String applicationProtocol(MemorySegment connection) {
        try {
            return string((MemorySegment) S2nFunctions.GET_APPLICATION_PROTOCOL.invokeExact(connection));
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /** {@link #TLS12}, {@link #TLS13}, ... */
    public static int protocolVersion(MemorySegment connection) {
        try {
            return (int) S2nFunctions.GET_ACTUAL_PROTOCOL_VERSION.invokeExact(connection);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /** The cipher suite's two-byte IANA code, or -1. */
    public static int cipherSuiteCode(MemorySegment connection) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment first = arena.allocate(JAVA_BYTE);
            MemorySegment second = arena.allocate(JAVA_BYTE);
            if ((int) S2nFunctions.GET_CIPHER_IANA_VALUE.invokeExact(connection, first, second) != 0) {
                return -1;
            }
            return (Byte.toUnsignedInt(first.get(JAVA_BYTE, 0)) << 8) | Byte.toUnsignedInt(second.get(JAVA_BYTE, 0));
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /** s2n's (OpenSSL-style) name of the cipher suite. */
    public static String cipherName(MemorySegment connection) {
        try {
            return string((MemorySegment) S2nFunctions.GET_CIPHER.invokeExact(connection));
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /** The key exchange group actually used ("x25519", "X25519MLKEM768"...), or null. */
    public static String keyExchangeGroup(MemorySegment connection) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment name = arena.allocate(ADDRESS);
            if ((int) S2nFunctions.GET_KEY_EXCHANGE_GROUP.invokeExact(connection, name) != 0) {
                return null;
            }
            return constant(name.get(ADDRESS, 0));
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /** The TLS alert the peer sent, or -1 if none. */
    public static int alert(MemorySegment connection) {
        try {
            return (int) S2nFunctions.GET_ALERT.invokeExact(connection);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /** {@code NEGOTIATED|FULL_HANDSHAKE|...}, with {@code HELLO_RETRY_REQUEST} when one was needed. */
    public static String handshakeTypeName(MemorySegment connection) {
        try {
            return constant((MemorySegment) S2nFunctions.GET_HANDSHAKE_TYPE_NAME.invokeExact(connection));
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /** The peer's certificates in DER, leaf first; empty if it sent none. */
    public static List<byte[]> peerCertificates(MemorySegment connection) {
        MemorySegment chain = certChainAndKeyNew();
        if (chain.equals(MemorySegment.NULL)) {
            return List.of();
        }
        try (Arena arena = Arena.ofConfined()) {
            if ((int) S2nFunctions.GET_PEER_CERT_CHAIN.invokeExact(connection, chain) != 0) {
                return List.of();
            }
            MemorySegment length = arena.allocate(JAVA_INT);
            if ((int) S2nFunctions.CERT_CHAIN_GET_LENGTH.invokeExact(chain, length) != 0) {
                return List.of();
            }
            List<byte[]> certificates = new ArrayList<>();
            MemorySegment certificate = arena.allocate(ADDRESS);
            MemorySegment der = arena.allocate(ADDRESS);
            MemorySegment derLength = arena.allocate(JAVA_INT);
            for (int i = 0; i < length.get(JAVA_INT, 0); i++) {
                if ((int) S2nFunctions.CERT_CHAIN_GET_CERT.invokeExact(chain, certificate, i) != 0
                        || (int) S2nFunctions.CERT_GET_DER.invokeExact(certificate.get(ADDRESS, 0), der, derLength) != 0) {
                    break;
                }
                certificates.add(der.get(ADDRESS, 0).reinterpret(Integer.toUnsignedLong(derLength.get(JAVA_INT, 0)))
                        .toArray(JAVA_BYTE));
            }
            return certificates;
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        } finally {
            certChainAndKeyFree(chain);
        }
    }

    // ---- custom I/O: s2n calls these, on the thread in s2n_negotiate/s2n_send/s2n_recv ----

    private static int receiveUpcall(MemorySegment context, MemorySegment buffer, int length) {
        return io(context, buffer, length, true);
    }

    private static int sendUpcall(MemorySegment context, MemorySegment buffer, int length) {
        return io(context, buffer, length, false);
    }

    /** Never throws: an exception thrown back into native code would end the JVM. */
    private static int io(MemorySegment context, MemorySegment buffer, int length, boolean receive) {
        int result;
        try {
            S2nIo io = IO_BY_CONTEXT.get(context.address());
            MemorySegment bytes = buffer.reinterpret(Integer.toUnsignedLong(length));
            result = io == null ? S2nIo.BROKEN : receive ? io.receive(bytes) : io.send(bytes);
        } catch (Throwable t) {
            result = S2nIo.BROKEN;
        }
        if (result >= 0) {
            return result;
        }
        Libc.setErrno(result == S2nIo.BLOCKED ? EAGAIN : EPIPE); // the last act before returning -1
        return -1;
    }

    /** Never throws: an exception thrown back into native code would end the JVM; a lost line fails nothing. */
    private static int keyLogUpcall(MemorySegment config, MemorySegment connection, MemorySegment line, long length) {
        try {
            S2nKeyLog log = KEY_LOG_BY_CONFIG.get(config.address());
            if (log != null) {
                log.log(connection, line.reinterpret(length));
            }
        } catch (Throwable t) {
            // s2n ignores what its key log callback returns
        }
        return 0;
    }

    private static byte anyHostUpcall(MemorySegment hostName, long length, MemorySegment data) {
        return 1;
    }

    /** Never throws: an exception thrown back into native code would end the JVM. */
    private static int certificateValidationUpcall(MemorySegment connection, MemorySegment info, MemorySegment context) {
        boolean accepted;
        try {
            S2nCertificateCheck check = CHECK_BY_CONNECTION.get(connection.address());
            accepted = check == null || check.accept(peerCertificates(connection));
        } catch (Throwable t) {
            accepted = false;
        }
        try {
            return accepted ? (int) S2nFunctions.CERT_VALIDATION_ACCEPT.invokeExact(info)
                    : (int) S2nFunctions.CERT_VALIDATION_REJECT.invokeExact(info);
        } catch (Throwable t) {
            return -1;
        }
    }

    /**
     * Never throws, and returns 0 whatever happens: s2n fails the connection when its ticket
     * callback does not, and a ticket lost costs only a full handshake later.
     */
    private static int sessionTicketUpcall(MemorySegment connection, MemorySegment context, MemorySegment ticket) {
        try (Arena arena = Arena.ofConfined()) {
            S2nSessionTicket listener = TICKETS_BY_CONNECTION.get(connection.address());
            if (listener == null) {
                return 0;
            }
            MemorySegment length = arena.allocate(JAVA_LONG);
            MemorySegment lifetime = arena.allocate(JAVA_INT);
            if ((int) S2nFunctions.SESSION_TICKET_GET_DATA_LEN.invokeExact(ticket, length) != 0
                    || (int) S2nFunctions.SESSION_TICKET_GET_LIFETIME.invokeExact(ticket, lifetime) != 0) {
                return 0;
            }
            MemorySegment data = arena.allocate(length.get(JAVA_LONG, 0));
            if ((int) S2nFunctions.SESSION_TICKET_GET_DATA.invokeExact(ticket, data.byteSize(), data) != 0) {
                return 0;
            }
            byte[] session = data.toArray(JAVA_BYTE);
            data.fill((byte) 0);
            listener.received(session, Integer.toUnsignedLong(lifetime.get(JAVA_INT, 0)));
        } catch (Throwable t) {
            // see above
        }
        return 0;
    }

    /** Never throws: an exception thrown back into native code would end the JVM. */
    private static int clientHelloUpcall(MemorySegment connection, MemorySegment context) {
        try {
            S2nClientHelloCheck check = HELLO_CHECK_BY_CONNECTION.get(connection.address());
            return switch (check == null ? S2nClientHelloCheck.Answer.CONTINUE : check.onClientHello()) {
                case CONTINUE -> 0;
                case CHOSE_BY_SERVER_NAME -> 1;
                case REFUSE -> -1;
            };
        } catch (Throwable t) {
            return -1;
        }
    }

    // ---- helpers ----

    /**
     * One of s2n's fixed names (a group, a handshake type): interned, so that the many connections
     * which keep one in their negotiation result share a single copy.
     */
    private static String constant(MemorySegment pointer) {
        String name = string(pointer);
        return name == null ? null : name.intern();
    }

    private static String string(MemorySegment pointer) {
        return pointer.equals(MemorySegment.NULL) ? null : pointer.reinterpret(Long.MAX_VALUE).getString(0);
    }

    private static MemorySegment cString(Arena arena, String value) {
        return value == null ? MemorySegment.NULL : arena.allocateFrom(value);
    }

    private static MemorySegment stringArray(Arena arena, List<String> values) {
        MemorySegment array = arena.allocate(ADDRESS, Math.max(1, values.size()));
        for (int i = 0; i < values.size(); i++) {
            array.setAtIndex(ADDRESS, i, arena.allocateFrom(values.get(i)));
        }
        return array;
    }
}
