package io.reseau.internal.ffi;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

/**
 * The s2n-tls functions {@link S2n} calls (native-headers/s2n.h), linked from {@link S2nLibrary}'s
 * library when this class is first used: after {@link S2n#ensureLoaded()}.
 */
final class S2nFunctions {
    private static final SymbolLookup LIB = S2nLibrary.lookup();

    static final MethodHandle ERRNO_LOCATION = h("s2n_errno_location", FunctionDescriptor.of(ADDRESS));
    static final MethodHandle STRERROR = h("s2n_strerror", FunctionDescriptor.of(ADDRESS, JAVA_INT, ADDRESS));
    static final MethodHandle STRERROR_DEBUG = h("s2n_strerror_debug", FunctionDescriptor.of(ADDRESS, JAVA_INT, ADDRESS));
    static final MethodHandle STRERROR_NAME = h("s2n_strerror_name", FunctionDescriptor.of(ADDRESS, JAVA_INT));
    static final MethodHandle CONFIG_NEW_MINIMAL = h("s2n_config_new_minimal", FunctionDescriptor.of(ADDRESS));
    static final MethodHandle CONFIG_FREE = h("s2n_config_free", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    static final MethodHandle CONFIG_SET_CIPHER_PREFERENCES = h("s2n_config_set_cipher_preferences",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    static final MethodHandle CONFIG_SET_PROTOCOL_PREFERENCES = h("s2n_config_set_protocol_preferences",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
    static final MethodHandle CONFIG_SET_VERIFICATION_CA_LOCATION = h("s2n_config_set_verification_ca_location",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
    static final MethodHandle CONFIG_ADD_PEM_TO_TRUST_STORE = h("s2n_config_add_pem_to_trust_store",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    static final MethodHandle CONFIG_WIPE_TRUST_STORE = h("s2n_config_wipe_trust_store",
            FunctionDescriptor.of(JAVA_INT, ADDRESS));
    static final MethodHandle CONFIG_SET_CLIENT_AUTH_TYPE = h("s2n_config_set_client_auth_type",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    static final MethodHandle CONFIG_DISABLE_X509_VERIFICATION = h("s2n_config_disable_x509_verification",
            FunctionDescriptor.of(JAVA_INT, ADDRESS));
    static final MethodHandle CONFIG_ADD_CERT_CHAIN_AND_KEY_TO_STORE = h("s2n_config_add_cert_chain_and_key_to_store",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    static final MethodHandle CERT_CHAIN_AND_KEY_NEW = h("s2n_cert_chain_and_key_new", FunctionDescriptor.of(ADDRESS));
    static final MethodHandle CERT_CHAIN_AND_KEY_LOAD_PEM_BYTES = h("s2n_cert_chain_and_key_load_pem_bytes",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT));
    static final MethodHandle CERT_CHAIN_AND_KEY_FREE = h("s2n_cert_chain_and_key_free",
            FunctionDescriptor.of(JAVA_INT, ADDRESS));
    static final MethodHandle CONNECTION_NEW = h("s2n_connection_new", FunctionDescriptor.of(ADDRESS, JAVA_INT));
    static final MethodHandle CONNECTION_SET_CONFIG = h("s2n_connection_set_config",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    static final MethodHandle CONNECTION_SET_RECV_CB = h("s2n_connection_set_recv_cb",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    static final MethodHandle CONNECTION_SET_SEND_CB = h("s2n_connection_set_send_cb",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    static final MethodHandle CONNECTION_SET_RECV_CTX = h("s2n_connection_set_recv_ctx",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    static final MethodHandle CONNECTION_SET_SEND_CTX = h("s2n_connection_set_send_ctx",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    static final MethodHandle CONNECTION_SET_BLINDING = h("s2n_connection_set_blinding",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    static final MethodHandle CONNECTION_SET_PROTOCOL_PREFERENCES = h("s2n_connection_set_protocol_preferences",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
    static final MethodHandle CONNECTION_SET_CLIENT_AUTH_TYPE = h("s2n_connection_set_client_auth_type",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    static final MethodHandle CONNECTION_PREFER_THROUGHPUT = h("s2n_connection_prefer_throughput",
            FunctionDescriptor.of(JAVA_INT, ADDRESS));
    static final MethodHandle CONNECTION_FREE_HANDSHAKE = h("s2n_connection_free_handshake",
            FunctionDescriptor.of(JAVA_INT, ADDRESS));
    static final MethodHandle CONNECTION_RELEASE_BUFFERS = h("s2n_connection_release_buffers",
            FunctionDescriptor.of(JAVA_INT, ADDRESS));
    static final MethodHandle SET_SERVER_NAME = h("s2n_set_server_name", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    static final MethodHandle GET_SERVER_NAME = h("s2n_get_server_name", FunctionDescriptor.of(ADDRESS, ADDRESS));
    static final MethodHandle CONNECTION_FREE = h("s2n_connection_free", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    static final MethodHandle NEGOTIATE = h("s2n_negotiate", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    static final MethodHandle SEND = h("s2n_send", FunctionDescriptor.of(JAVA_LONG, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS));
    static final MethodHandle RECV = h("s2n_recv", FunctionDescriptor.of(JAVA_LONG, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS));
    static final MethodHandle PEEK = h("s2n_peek", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    static final MethodHandle SHUTDOWN_SEND = h("s2n_shutdown_send", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    static final MethodHandle CONNECTION_GET_DELAY = h("s2n_connection_get_delay", FunctionDescriptor.of(JAVA_LONG, ADDRESS));
    static final MethodHandle GET_APPLICATION_PROTOCOL = h("s2n_get_application_protocol",
            FunctionDescriptor.of(ADDRESS, ADDRESS));
    static final MethodHandle GET_ACTUAL_PROTOCOL_VERSION = h("s2n_connection_get_actual_protocol_version",
            FunctionDescriptor.of(JAVA_INT, ADDRESS));
    static final MethodHandle GET_CIPHER_IANA_VALUE = h("s2n_connection_get_cipher_iana_value",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
    static final MethodHandle GET_CIPHER = h("s2n_connection_get_cipher", FunctionDescriptor.of(ADDRESS, ADDRESS));
    static final MethodHandle GET_KEY_EXCHANGE_GROUP = h("s2n_connection_get_key_exchange_group",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    static final MethodHandle GET_ALERT = h("s2n_connection_get_alert", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    static final MethodHandle GET_HANDSHAKE_TYPE_NAME = h("s2n_connection_get_handshake_type_name",
            FunctionDescriptor.of(ADDRESS, ADDRESS));
    static final MethodHandle GET_PEER_CERT_CHAIN = h("s2n_connection_get_peer_cert_chain",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    static final MethodHandle CERT_CHAIN_GET_LENGTH = h("s2n_cert_chain_get_length",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    static final MethodHandle CERT_CHAIN_GET_CERT = h("s2n_cert_chain_get_cert",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
    static final MethodHandle CERT_GET_DER = h("s2n_cert_get_der", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
    static final MethodHandle CONFIG_SET_CERT_VALIDATION_CB = h("s2n_config_set_cert_validation_cb",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
    static final MethodHandle CERT_VALIDATION_ACCEPT = h("s2n_cert_validation_accept", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    static final MethodHandle CERT_VALIDATION_REJECT = h("s2n_cert_validation_reject", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    static final MethodHandle CONFIG_SET_KEY_LOG_CB = h("s2n_config_set_key_log_cb",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
    static final MethodHandle CONFIG_SET_VERIFY_HOST_CALLBACK = h("s2n_config_set_verify_host_callback",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
    static final MethodHandle CONFIG_SET_CLIENT_HELLO_CB = h("s2n_config_set_client_hello_cb",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
    static final MethodHandle CONNECTION_GET_CLIENT_HELLO = h("s2n_connection_get_client_hello",
            FunctionDescriptor.of(ADDRESS, ADDRESS));
    static final MethodHandle CLIENT_HELLO_GET_EXTENSION_LENGTH = h("s2n_client_hello_get_extension_length",
            FunctionDescriptor.of(JAVA_LONG, ADDRESS, JAVA_INT));
    static final MethodHandle CLIENT_HELLO_GET_EXTENSION_BY_ID = h("s2n_client_hello_get_extension_by_id",
            FunctionDescriptor.of(JAVA_LONG, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT));
    static final MethodHandle CONFIG_SET_SESSION_TICKETS_ONOFF = h("s2n_config_set_session_tickets_onoff",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_BYTE));
    static final MethodHandle CONFIG_ADD_TICKET_CRYPTO_KEY = h("s2n_config_add_ticket_crypto_key",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG));
    static final MethodHandle CONFIG_SET_TICKET_ENCRYPT_DECRYPT_KEY_LIFETIME = h(
            "s2n_config_set_ticket_encrypt_decrypt_key_lifetime", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
    static final MethodHandle CONFIG_SET_TICKET_DECRYPT_KEY_LIFETIME = h("s2n_config_set_ticket_decrypt_key_lifetime",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
    static final MethodHandle CONFIG_SET_SESSION_STATE_LIFETIME = h("s2n_config_set_session_state_lifetime",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
    static final MethodHandle CONFIG_SET_SESSION_TICKET_CB = h("s2n_config_set_session_ticket_cb",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
    static final MethodHandle SESSION_TICKET_GET_DATA_LEN = h("s2n_session_ticket_get_data_len",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    static final MethodHandle SESSION_TICKET_GET_DATA = h("s2n_session_ticket_get_data",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS));
    static final MethodHandle SESSION_TICKET_GET_LIFETIME = h("s2n_session_ticket_get_lifetime",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    static final MethodHandle CONNECTION_SET_SESSION = h("s2n_connection_set_session",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG));
    static final MethodHandle CONNECTION_IS_SESSION_RESUMED = h("s2n_connection_is_session_resumed",
            FunctionDescriptor.of(JAVA_INT, ADDRESS));

    private S2nFunctions() {}

    private static MethodHandle h(String name, FunctionDescriptor descriptor) {
        return Downcalls.in(LIB, name, descriptor);
    }
}
