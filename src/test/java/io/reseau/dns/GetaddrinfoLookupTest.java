package io.reseau.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.reseau.common.IoError;
import io.reseau.internal.ffi.AddressInfo;
import org.junit.jupiter.api.Test;

class GetaddrinfoLookupTest {
    @Test
    void getaddrinfoErrorsMapAsAwsCIoWithATemporaryFailureRetryable() {
        assertThat(GetaddrinfoLookup.errorOf(AddressInfo.EAI_NONAME)).isEqualTo(IoError.DNS_INVALID_NAME);
        assertThat(GetaddrinfoLookup.errorOf(AddressInfo.EAI_SERVICE)).isEqualTo(IoError.DNS_INVALID_NAME);
        assertThat(GetaddrinfoLookup.errorOf(AddressInfo.EAI_FAIL)).isEqualTo(IoError.DNS_QUERY_FAILED);
        assertThat(GetaddrinfoLookup.errorOf(AddressInfo.EAI_AGAIN)).isEqualTo(IoError.DNS_QUERY_AGAIN);
        assertThat(GetaddrinfoLookup.errorOf(AddressInfo.EAI_AGAIN).isRetryable()).isTrue();
        assertThat(GetaddrinfoLookup.errorOf(AddressInfo.EAI_MEMORY)).isEqualTo(IoError.OOM);
        assertThat(GetaddrinfoLookup.errorOf(-99)).isEqualTo(IoError.SYS_CALL_FAILURE);
    }
}
