package dev.wharf.epr.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.testing.PgpKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The upstream client's downloads against a real (in-process) upstream registry. */
class UpstreamEprTest {
    private static final PgpKeys KEY = PgpKeys.generate("Upstream <upstream@example.test>");

    @TempDir
    Path dir;

    @Test
    void aZipLargerThanTheLimitIsRefusedAndAMissingOneIsEmpty() throws Exception {
        try (SignedUpstream upstream = SignedUpstream.start(dir, KEY, List.of("gallery/2.0.0"))) {
            UpstreamEpr client = new UpstreamEpr(UpstreamSettings.epr(upstream.url()).withRetries(0, Duration.ZERO, Duration.ZERO));
            long size = Files.size(upstream.zip("gallery-2.0.0"));
            Path target = dir.resolve("copy.zip");
            assertThat(client.download("/epr/gallery/gallery-2.0.0.zip", target, size)).hasValue(size);
            assertThat(Files.readAllBytes(target)).isEqualTo(Files.readAllBytes(upstream.zip("gallery-2.0.0")));
            assertThatThrownBy(() -> client.download("/epr/gallery/gallery-2.0.0.zip", dir.resolve("big.zip"), size - 1))
                    .isInstanceOfSatisfying(UpstreamException.class, e -> assertThat(e.kind()).isEqualTo(UpstreamException.Kind.REFUSED))
                    .hasMessageContaining("than the limit of " + (size - 1) + " bytes");
            assertThat(client.download("/epr/nothing/nothing-1.0.0.zip", dir.resolve("none.zip"), size)).isEmpty();
            assertThat(dir.resolve("none.zip")).doesNotExist();
            assertThat(client.packageInfo("nothing", "1.0.0")).isEmpty();
            assertThat(client.packageInfo("gallery", "2.0.0")).hasValueSatisfying(d -> assertThat(d.title).isEqualTo("Gallery"));
        }
    }
}
