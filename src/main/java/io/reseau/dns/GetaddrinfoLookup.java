package io.reseau.dns;

import io.reseau.common.IoError;
import io.reseau.common.IoErrorException;
import io.reseau.internal.ffi.AddressInfo;
import java.net.InetAddress;
import java.util.List;

/** {@link AddressLookup#system()}: getaddrinfo with aws-c-io's flags, its errors as aws-c-io maps them. */
final class GetaddrinfoLookup implements AddressLookup {
    static final GetaddrinfoLookup INSTANCE = new GetaddrinfoLookup();

    private GetaddrinfoLookup() {}

    @Override
    public List<InetAddress> lookUp(String host) throws IoErrorException {
        AddressInfo.Result result = AddressInfo.resolve(host);
        if (result.error() != 0) {
            throw new IoErrorException(errorOf(result.error()), "getaddrinfo(" + host + ") failed with " + result.error());
        }
        return result.addresses();
    }

    /**
     * aws-c-io's mapping, except that a temporary failure (EAI_AGAIN) is {@code DNS_QUERY_AGAIN},
     * which is retryable, where aws-c-io reports the final {@code DNS_QUERY_FAILED}.
     */
    static IoError errorOf(int eai) {
        return switch (eai) {
            case AddressInfo.EAI_AGAIN -> IoError.DNS_QUERY_AGAIN;
            case AddressInfo.EAI_FAIL -> IoError.DNS_QUERY_FAILED;
            case AddressInfo.EAI_MEMORY -> IoError.OOM;
            case AddressInfo.EAI_NONAME, AddressInfo.EAI_SERVICE -> IoError.DNS_INVALID_NAME;
            default -> IoError.SYS_CALL_FAILURE;
        };
    }
}
