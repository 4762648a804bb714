package io.reseau.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class IoErrorTest {

    @Test
    void numbersFollowAwsCIoEnumOrder() {
        // aws-c-io numbers its errors by enum position from 1024; the spot checks pin that order.
        assertThat(IoError.CHANNEL_ERROR_ERROR_CANT_ACCEPT_INPUT.code()).isEqualTo(1024);
        assertThat(IoError.EVENT_LOOP_THREAD_ONLY.code()).isEqualTo(1039);
        assertThat(IoError.SOCKET_CONNECTION_REFUSED.code()).isEqualTo(1047);
        assertThat(IoError.SOCKET_CLOSED.code()).isEqualTo(1051);
        assertThat(IoError.DNS_QUERY_FAILED.code()).isEqualTo(1058);
        assertThat(IoError.TLS_NEGOTIATION_TIMEOUT.code()).isEqualTo(1067);
        assertThat(IoError.PINNED_EVENT_LOOP_MISMATCH.code()).isEqualTo(1171);
        assertThat(IoError.PEM_MALFORMED.code()).isEqualTo(1179);
        assertThat(IoError.DNS_QUERY_AGAIN.code()).isEqualTo(1195);
        assertThat(IoError.SYS_CALL_FAILURE.code()).isEqualTo(46);
    }

    @Test
    void everyNonPkcs11CodeIsDefinedOnce() {
        Set<Integer> codes = Arrays.stream(IoError.values()).map(IoError::code).collect(Collectors.toSet());
        assertThat(codes).hasSize(IoError.values().length);
        Set<Integer> expected = IntStream.concat(IntStream.rangeClosed(1024, 1072), IntStream.rangeClosed(1171, 1195))
                .filter(code -> code != 1064 && code != 1172) // deprecated file handle; PKCS#11 encoding
                .boxed().collect(Collectors.toSet());
        assertThat(codes).containsAll(expected);
        assertThat(codes.stream().filter(code -> code >= 1024)).containsExactlyInAnyOrderElementsOf(expected);
        expected.forEach(code -> assertThat(IoError.fromCode(code).code()).isEqualTo(code));
        assertThat(IoError.fromCode(1100)).as("PKCS#11 range").isNull();
    }

    @Test
    void awsNamesAreTheCNames() {
        assertThat(IoError.SOCKET_TIMEOUT.awsName()).isEqualTo("AWS_IO_SOCKET_TIMEOUT");
        assertThat(IoError.EVENT_LOOP_THREAD_ONLY.awsName()).isEqualTo("AWS_ERROR_IO_EVENT_LOOP_THREAD_ONLY");
        assertThat(IoError.OOM.awsName()).isEqualTo("AWS_ERROR_OOM");
        for (IoError error : IoError.values()) {
            assertThat(error.awsName()).startsWith("AWS_").endsWith(error.name());
        }
    }

    @Test
    void retryableSetIsAwsCIosRecommendation() {
        Set<IoError> retryable = EnumSet.noneOf(IoError.class);
        for (IoError error : IoError.values()) {
            if (error.isRetryable()) {
                retryable.add(error);
            }
        }
        assertThat(retryable).containsExactlyInAnyOrder(IoError.SOCKET_CLOSED, IoError.SOCKET_CONNECT_ABORTED,
                IoError.SOCKET_CONNECTION_REFUSED, IoError.SOCKET_NETWORK_DOWN, IoError.DNS_QUERY_AGAIN,
                IoError.DNS_NO_ADDRESS_FOR_HOST, IoError.SOCKET_TIMEOUT, IoError.TLS_NEGOTIATION_TIMEOUT);
        assertThat(IoError.TLS_ERROR_NEGOTIATION_FAILURE.isRetryable()).isFalse();
        assertThat(IoError.SOCKET_NO_ROUTE_TO_HOST.isRetryable()).isFalse();
    }

    @Test
    void tlsSetIsAwsCIosClassification() {
        Set<Integer> tls = Arrays.stream(IoError.values()).filter(IoError::isTls).map(IoError::code)
                .collect(Collectors.toSet());
        Set<Integer> expected = IntStream.concat(
                        IntStream.concat(IntStream.rangeClosed(1029, 1035), IntStream.of(1067, 1068, 1071, 1072, 1178)),
                        IntStream.rangeClosed(1181, 1194))
                .boxed().collect(Collectors.toSet());
        assertThat(tls).isEqualTo(expected);
        assertThat(IoError.TLS_ERROR_DEFAULT_TRUST_STORE_NOT_FOUND.isTls()).isFalse();
    }
}
