package dev.wharf.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Which TLS flags mean TLS: both files named, as both Go programs read them; an empty name is none. */
class TlsFilesTest {
    @Test
    void neitherFileOrEmptyNamesMeanPlainHttp() {
        assertThat(TlsFiles.of(null, null, null)).isEmpty();
        // EPR_TLS_CERT= EPR_TLS_KEY= (and boring-registry's --tls-cert-file '') serve plain HTTP in EPR and boring-registry.
        assertThat(TlsFiles.of(Path.of(""), Path.of(""), "1.2")).isEmpty();
        assertThat(TlsFiles.of(Path.of(" "), null, null)).isEmpty();
    }

    @Test
    void oneFileWithoutTheOtherIsRefused() {
        for (Path[] pair : new Path[][] {{Path.of("cert.pem"), null}, {Path.of("cert.pem"), Path.of("")}, {Path.of(""), Path.of("key.pem")}}) {
            assertThatThrownBy(() -> TlsFiles.of(pair[0], pair[1], null)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("TLS needs both a certificate file and a key file");
        }
    }

    @Test
    void bothNamedAreUsedWithTheMinimumVersion() {
        TlsFiles files = TlsFiles.of(Path.of("cert.pem"), Path.of("key.pem"), "1.3").orElseThrow();
        assertThat(files.certFile()).isEqualTo(Path.of("cert.pem"));
        assertThat(files.keyFile()).isEqualTo(Path.of("key.pem"));
        assertThat(files.minVersion()).hasValue("1.3");
        assertThat(TlsFiles.of(Path.of("cert.pem"), Path.of("key.pem"), "").orElseThrow().minVersion()).isEmpty();
    }
}
