/*
 * The part of s2n-tls 1.5.23 (api/s2n.h at tag v1.5.23) that Reseau calls, as exported by
 * aws-crt 0.38.8's linux/<arch>/<libc>/libaws-crt-jni.so. The Java bindings in
 * io.reseau.internal.ffi.S2n are written from these declarations.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct s2n_config;
struct s2n_connection;
struct s2n_cert_chain_and_key;

#define S2N_SUCCESS  0
#define S2N_FAILURE -1

typedef enum { S2N_SERVER = 0, S2N_CLIENT = 1 } s2n_mode;
typedef enum { S2N_NOT_BLOCKED = 0, S2N_BLOCKED_ON_READ, S2N_BLOCKED_ON_WRITE, S2N_BLOCKED_ON_APPLICATION_INPUT,
               S2N_BLOCKED_ON_EARLY_DATA } s2n_blocked_status;
/* s2n_error_get_type(e) == e >> 26 */
typedef enum { S2N_ERR_T_OK = 0, S2N_ERR_T_IO, S2N_ERR_T_CLOSED, S2N_ERR_T_BLOCKED, S2N_ERR_T_ALERT, S2N_ERR_T_PROTO,
               S2N_ERR_T_INTERNAL, S2N_ERR_T_USAGE } s2n_error_type;
typedef enum { S2N_BUILT_IN_BLINDING = 0, S2N_SELF_SERVICE_BLINDING = 1 } s2n_blinding;
typedef enum { S2N_CERT_AUTH_NONE = 0, S2N_CERT_AUTH_REQUIRED = 1, S2N_CERT_AUTH_OPTIONAL = 2 } s2n_cert_auth_type;
/* Protocol versions as s2n numbers them. */
#define S2N_TLS10 31
#define S2N_TLS11 32
#define S2N_TLS12 33
#define S2N_TLS13 34

/* Custom I/O: return bytes moved, or -1 with errno EAGAIN when nothing can move now. */
typedef int s2n_recv_fn(void *io_context, uint8_t *buf, uint32_t len);
typedef int s2n_send_fn(void *io_context, const uint8_t *buf, uint32_t len);
/* Key logging (debugging only): one NSS key log line per secret, without a line end; ctx is the one given. */
typedef int (*s2n_key_log_fn)(void *ctx, struct s2n_connection *conn, uint8_t *logline, size_t len);
/* Returns 1 to accept the certificate's name for this connection. */
typedef uint8_t (*s2n_verify_host_fn)(const char *host_name, size_t host_name_len, void *data);

/* Library and errors. */
int         s2n_init(void);
int        *s2n_errno_location(void);
const char *s2n_strerror(int error, const char *lang);
const char *s2n_strerror_debug(int error, const char *lang);
const char *s2n_strerror_name(int error);

/* Configs: built on one thread, then shared read-only by connections. */
struct s2n_config *s2n_config_new_minimal(void);
int  s2n_config_free(struct s2n_config *config);
int  s2n_config_set_cipher_preferences(struct s2n_config *config, const char *version);
int  s2n_config_set_protocol_preferences(struct s2n_config *config, const char *const *protocols, int protocol_count);
int  s2n_config_set_verification_ca_location(struct s2n_config *config, const char *ca_pem_filename, const char *ca_dir);
int  s2n_config_add_pem_to_trust_store(struct s2n_config *config, const char *pem);
int  s2n_config_wipe_trust_store(struct s2n_config *config);
int  s2n_config_set_client_auth_type(struct s2n_config *config, s2n_cert_auth_type client_auth_type);
int  s2n_config_disable_x509_verification(struct s2n_config *config);
int  s2n_config_set_verify_host_callback(struct s2n_config *config, s2n_verify_host_fn, void *data);
int  s2n_config_set_key_log_cb(struct s2n_config *config, s2n_key_log_fn callback, void *ctx);
/* api/unstable/cert_validation_callback.h: the application's own verdict on the peer's chain. */
struct s2n_cert_validation_info;
typedef int (*s2n_cert_validation_callback)(struct s2n_connection *conn, struct s2n_cert_validation_info *info, void *context);
int  s2n_config_set_cert_validation_cb(struct s2n_config *config, s2n_cert_validation_callback callback, void *context);
int  s2n_cert_validation_accept(struct s2n_cert_validation_info *info);
int  s2n_cert_validation_reject(struct s2n_cert_validation_info *info);
/* A server's look at the ClientHello before it answers (BLOCKING mode, the default): the callback
 * may s2n_connection_set_config and set protocol preferences; it returns 1 when it chose by the
 * server name, 0 otherwise, and -1 to fail the handshake (handshake_failure). */
struct s2n_client_hello;
typedef int s2n_client_hello_fn(struct s2n_connection *conn, void *ctx);
int  s2n_config_set_client_hello_cb(struct s2n_config *config, s2n_client_hello_fn client_hello_callback, void *ctx);
struct s2n_client_hello *s2n_connection_get_client_hello(struct s2n_connection *conn);
/* extension_type: S2N_EXTENSION_ALPN = 16. Lengths and copies in bytes, or -1. */
ssize_t s2n_client_hello_get_extension_length(struct s2n_client_hello *ch, int extension_type);
ssize_t s2n_client_hello_get_extension_by_id(struct s2n_client_hello *ch, int extension_type, uint8_t *out, uint32_t max_length);
int  s2n_config_add_cert_chain_and_key_to_store(struct s2n_config *config, struct s2n_cert_chain_and_key *cert_key_pair);
struct s2n_cert_chain_and_key *s2n_cert_chain_and_key_new(void);
int  s2n_cert_chain_and_key_load_pem_bytes(struct s2n_cert_chain_and_key *chain_and_key, uint8_t *chain_pem,
                                           uint32_t chain_pem_len, uint8_t *private_key_pem, uint32_t private_key_pem_len);
int  s2n_cert_chain_and_key_free(struct s2n_cert_chain_and_key *cert_and_key);
/* Session tickets (stateless resumption). A server encrypts tickets under keys it is given: a key
 * encrypts from its intro time for the encrypt-decrypt lifetime, then only decrypts for the decrypt
 * lifetime; keys can be added only once tickets are on. A client hears of each ticket through the
 * callback (inside s2n_negotiate for TLS 1.2, s2n_recv for TLS 1.3) and resumes with set_session
 * before its first s2n_negotiate; the callback fails the connection unless it returns 0. */
struct s2n_session_ticket;
typedef int (*s2n_session_ticket_fn)(struct s2n_connection *conn, void *ctx, struct s2n_session_ticket *ticket);
int  s2n_config_set_session_tickets_onoff(struct s2n_config *config, uint8_t enabled);
int  s2n_config_add_ticket_crypto_key(struct s2n_config *config, const uint8_t *name, uint32_t name_len, uint8_t *key,
                                      uint32_t key_len, uint64_t intro_time_in_seconds_from_epoch);
int  s2n_config_set_ticket_encrypt_decrypt_key_lifetime(struct s2n_config *config, uint64_t lifetime_in_secs);
int  s2n_config_set_ticket_decrypt_key_lifetime(struct s2n_config *config, uint64_t lifetime_in_secs);
int  s2n_config_set_session_state_lifetime(struct s2n_config *config, uint64_t lifetime_in_secs);
int  s2n_config_set_session_ticket_cb(struct s2n_config *config, s2n_session_ticket_fn callback, void *ctx);
int  s2n_session_ticket_get_data_len(struct s2n_session_ticket *ticket, size_t *data_len);
int  s2n_session_ticket_get_data(struct s2n_session_ticket *ticket, size_t max_data_len, uint8_t *data);
int  s2n_session_ticket_get_lifetime(struct s2n_session_ticket *ticket, uint32_t *session_lifetime);

/* Connections: one per channel, used on its event loop's thread only. */
struct s2n_connection *s2n_connection_new(s2n_mode mode);
int  s2n_connection_set_config(struct s2n_connection *conn, struct s2n_config *config);
int  s2n_connection_set_recv_cb(struct s2n_connection *conn, s2n_recv_fn recv);
int  s2n_connection_set_send_cb(struct s2n_connection *conn, s2n_send_fn send);
int  s2n_connection_set_recv_ctx(struct s2n_connection *conn, void *ctx);
int  s2n_connection_set_send_ctx(struct s2n_connection *conn, void *ctx);
int  s2n_connection_set_blinding(struct s2n_connection *conn, s2n_blinding blinding);
int  s2n_connection_set_protocol_preferences(struct s2n_connection *conn, const char *const *protocols, int protocol_count);
int  s2n_connection_set_client_auth_type(struct s2n_connection *conn, s2n_cert_auth_type client_auth_type);
int  s2n_connection_prefer_throughput(struct s2n_connection *conn);
int  s2n_connection_free_handshake(struct s2n_connection *conn);
int  s2n_connection_release_buffers(struct s2n_connection *conn);
int  s2n_set_server_name(struct s2n_connection *conn, const char *server_name);
const char *s2n_get_server_name(struct s2n_connection *conn);
int  s2n_connection_free(struct s2n_connection *conn);

int      s2n_negotiate(struct s2n_connection *conn, s2n_blocked_status *blocked);
ssize_t  s2n_send(struct s2n_connection *conn, const void *buf, ssize_t size, s2n_blocked_status *blocked);
ssize_t  s2n_recv(struct s2n_connection *conn, void *buf, ssize_t size, s2n_blocked_status *blocked);
uint32_t s2n_peek(struct s2n_connection *conn);
int      s2n_shutdown_send(struct s2n_connection *conn, s2n_blocked_status *blocked);
uint64_t s2n_connection_get_delay(struct s2n_connection *conn);
int      s2n_connection_set_session(struct s2n_connection *conn, const uint8_t *session, size_t length);

/* What was negotiated. */
const char *s2n_get_application_protocol(struct s2n_connection *conn);
int  s2n_connection_get_actual_protocol_version(struct s2n_connection *conn);
int  s2n_connection_get_cipher_iana_value(struct s2n_connection *conn, uint8_t *first, uint8_t *second);
const char *s2n_connection_get_cipher(struct s2n_connection *conn);
int  s2n_connection_get_key_exchange_group(struct s2n_connection *conn, const char **group_name);
int  s2n_connection_get_alert(struct s2n_connection *conn);
const char *s2n_connection_get_handshake_type_name(struct s2n_connection *conn);
int  s2n_connection_is_session_resumed(struct s2n_connection *conn); /* 1 for an abbreviated handshake */
int  s2n_connection_get_peer_cert_chain(const struct s2n_connection *conn, struct s2n_cert_chain_and_key *cert_chain);
int  s2n_cert_chain_get_length(const struct s2n_cert_chain_and_key *chain_and_key, uint32_t *cert_length);
int  s2n_cert_chain_get_cert(const struct s2n_cert_chain_and_key *chain_and_key, struct s2n_cert **out_cert,
                             const uint32_t cert_idx);
int  s2n_cert_get_der(const struct s2n_cert *cert, const uint8_t **out_cert_der, uint32_t *cert_length);
