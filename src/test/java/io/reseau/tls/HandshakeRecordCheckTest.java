package io.reseau.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class HandshakeRecordCheckTest {
    private static final byte[] SERVER_HELLO_HEADER = {22, 3, 3, 0, 4};

    private static String follow(HandshakeRecordCheck check, byte[] bytes) {
        return check.follow(MemorySegment.ofArray(bytes), bytes.length);
    }

    private static byte[] record(int type, int major, int minor, int bodyLength) {
        byte[] record = new byte[5 + bodyLength];
        record[0] = (byte) type;
        record[1] = (byte) major;
        record[2] = (byte) minor;
        record[3] = (byte) (bodyLength >>> 8);
        record[4] = (byte) bodyLength;
        Arrays.fill(record, 5, record.length, (byte) 0xEE); // a body is never judged
        return record;
    }

    @Test
    void recordsOfEveryTlsContentTypePass() {
        HandshakeRecordCheck check = new HandshakeRecordCheck(true);
        for (int type = 20; type <= 23; type++) {
            assertThat(follow(check, record(type, 3, 3, 40))).as("type %d", type).isNull();
        }
    }

    @Test
    void aPlaintextProtocolIsRefusedByItsFirstHeader() {
        String refusal = follow(new HandshakeRecordCheck(false), "GET / HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(refusal).contains("not TLS").contains("content type 71");
    }

    @Test
    void aBadHeaderAfterGoodRecordsIsFoundWhereverTheMessagesSplitThem() {
        byte[] stream = new byte[0];
        for (byte[] part : new byte[][] {record(22, 3, 3, 300), record(20, 3, 3, 1), record(99, 3, 3, 5)}) {
            byte[] joined = Arrays.copyOf(stream, stream.length + part.length);
            System.arraycopy(part, 0, joined, stream.length, part.length);
            stream = joined;
        }
        for (int split = 1; split < stream.length; split++) {
            HandshakeRecordCheck check = new HandshakeRecordCheck(true);
            String first = follow(check, Arrays.copyOfRange(stream, 0, split));
            String refusal = first != null ? first : follow(check, Arrays.copyOfRange(stream, split, stream.length));
            assertThat(refusal).as("split at %d", split).contains("content type 99");
            assertThat(first).as("split at %d: judged only once the bad header is whole", split)
                    .isEqualTo(split >= stream.length - 5 ? refusal : null);
        }
    }

    @Test
    void aServersRecordMustCarryAVersion3RecordVersionAClientsNeedNot() {
        assertThat(follow(new HandshakeRecordCheck(true), record(22, 0x47, 0x45, 10))).contains("version 71.69");
        assertThat(follow(new HandshakeRecordCheck(false), record(22, 0x47, 0x45, 10)))
                .as("s2n takes any record version in a ClientHello").isNull();
    }

    @Test
    void aClientsSslv2FramedHelloIsLeftToS2n() {
        HandshakeRecordCheck check = new HandshakeRecordCheck(false);
        assertThat(follow(check, new byte[] {(byte) 0x80, 0x2e, 0x01, 0x03, 0x01})).isNull();
        assertThat(follow(check, "GET / HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII))).as("no longer followed").isNull();
        assertThat(follow(new HandshakeRecordCheck(true), new byte[] {(byte) 0x80, 0x2e, 0x01, 0x03, 0x01}))
                .as("a server sends no SSLv2 framing").contains("content type 128");
    }

    @Test
    void aHeaderArrivingByteByByteIsJudgedWhole() {
        HandshakeRecordCheck check = new HandshakeRecordCheck(true);
        for (byte b : SERVER_HELLO_HEADER) {
            assertThat(follow(check, new byte[] {b})).isNull();
        }
        assertThat(follow(check, new byte[] {1, 2, 3, 4})).as("the body").isNull();
        assertThat(follow(check, new byte[] {50, 32, (byte) 224, (byte) 186, 24})).contains("content type 50");
    }
}
