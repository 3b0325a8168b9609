package dev.wharf.oci.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.testing.DockerRegistryServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Without insecure mode, the public constructor trusts what the JVM trusts: the self-signed
 * registry is refused by default and accepted once {@code -Djavax.net.ssl.trustStore} names a
 * store holding its certificate. Forked JVMs, because trust-store properties are JVM-wide.
 */
class RegistryTrustStoreTest {
    @TempDir
    Path tmp;

    private record Run(int exit, String output) {
    }

    private Run fork(String registry, String... jvmOptions) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-Duser.home=" + tmp, "-cp", System.getProperty("java.class.path"),
                TrustStoreCheck.class.getName(), registry, "tess", "tls-password"));
        Path out = Files.createTempFile(tmp, "fork", ".out");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
        return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    }

    @Test
    void trustStorePropertyMakesTheSelfSignedRegistryTrusted() throws Exception {
        try (DockerRegistryServer registry = DockerRegistryServer.builder(tmp.resolve("registry")).tls()
                .basicAuth("tess", "tls-password").start()) {
            Run refused = fork(registry.host());
            assertThat(refused.exit()).as(refused.output()).isEqualTo(1);
            assertThat(refused.output()).startsWith("TLS ").contains("--storage-oci-ca-file", "-oci-insecure").doesNotContain("tls-password");

            Path trustStore = registry.certificate().orElseThrow()
                    .writeTrustStore(tmp.resolve("trust.p12"), "changeit".toCharArray());
            Run trusted = fork(registry.host(), "-Djavax.net.ssl.trustStore=" + trustStore,
                    "-Djavax.net.ssl.trustStorePassword=changeit", "-Djavax.net.ssl.trustStoreType=PKCS12");
            assertThat(trusted.exit()).as(trusted.output()).isZero();
            assertThat(trusted.output().trim()).isEqualTo("OK");
        }
    }
}
