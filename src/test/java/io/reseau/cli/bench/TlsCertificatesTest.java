package io.reseau.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.interfaces.ECPublicKey;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The certificates scenario D makes at run time are ones a PKIX client accepts for loopback. */
class TlsCertificatesTest {

    @Test
    void theServerCertificateChainsToTheAuthorityAndNamesLoopback() throws Exception {
        TlsCertificates certificates = TlsCertificates.generate();
        PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(certificates.authority(), null)));
        parameters.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX").validate(
                CertificateFactory.getInstance("X.509").generateCertPath(List.of(certificates.server())), parameters);

        assertThat(certificates.server().getSubjectAlternativeNames())
                .contains(List.of(2, "localhost"), List.of(7, "127.0.0.1"));
        assertThat(certificates.server().getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
        assertThat(certificates.authority().getBasicConstraints()).isEqualTo(Integer.MAX_VALUE);
        assertThat(certificates.server().getBasicConstraints()).isEqualTo(-1);
        assertThat(((ECPublicKey) certificates.server().getPublicKey()).getParams().getCurve().getField().getFieldSize())
                .isEqualTo(256);
        assertThat(certificates.serverKey().getAlgorithm()).isEqualTo("EC");
        assertThat(certificates.keyManagers()).isNotEmpty();
        assertThat(certificates.trustManagers()).isNotEmpty();
    }
}
