package dev.wharf.terraform.layout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.oci.References;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The flat mapping: every nested (repository, tag) pair of {@link TerraformLayout} becomes one valid
 * tag of the base repository, and comes back as the same pair.
 */
class FlatTagsTest {
    private static final String BASE = "myorg/boring-registry";
    private final FlatTags flat = new FlatTags(BASE);
    private final TerraformLayout layout = TerraformLayout.under(BASE).allowingLongTags();

    @Test
    void writesTheDocumentedReadableForm() {
        String repository = layout.moduleRepository("hashicorp", "consul", "aws");
        String tag = layout.moduleTag("hashicorp", "consul", "aws", "1.0.0");
        assertThat(flat.encode(repository, tag)).isEqualTo("modules..hashicorp..consul..aws._hashicorp-consul-aws-1.0.0");
        assertThat(flat.encode(layout.signingKeysRepository("acme"), TerraformLayout.SIGNING_KEYS_TAG))
                .isEqualTo("providers..acme._signing-keys.json");
        assertThat(flat.encode(layout.mirrorOf("registry.terraform.io").providerRepository("hashicorp", "null"),
                "terraform-provider-null_3.2.1_SHA256SUMS")).isEqualTo("mirror..providers..registry.terraform.io..hashicorp..null._terraform-provider-null_3.2.1_SHA256SUMS");
    }

    @Test
    void namesWithDashesUnderscoresAndDotsStayApartAndComeBack() {
        // Pairs that a naive join ('/' as '_' or '-', or '.' between path and tag) would confuse.
        List<String[]> pairs = List.of(
                pair(layout.moduleRepository("a_b", "c", "aws"), layout.moduleTag("a_b", "c", "aws", "1.0.0")),
                pair(layout.moduleRepository("a", "b_c", "aws"), layout.moduleTag("a", "b_c", "aws", "1.0.0")),
                pair(layout.moduleRepository("a-b", "c", "aws"), layout.moduleTag("a-b", "c", "aws", "1.0.0")),
                pair(layout.moduleRepository("a", "b-c", "aws"), layout.moduleTag("a", "b-c", "aws", "1.0.0")),
                pair(layout.moduleRepository("a__b", "c--d", "aws"), layout.moduleTag("a__b", "c--d", "aws", "1.0.0+build.7")),
                pair(layout.providerRepository("a", "b"), "signing-keys.json"),
                pair(layout.signingKeysRepository("a"), "b._signing-keys.json"),
                pair(layout.mirrorOf("example.com").providerRepository("a.b", "c"), "terraform-provider-c_1.0.0_SHA256SUMS.sig"),
                pair(layout.mirrorOf("example.com.a").providerRepository("b", "c"), "terraform-provider-c_1.0.0_SHA256SUMS.sig"),
                pair(layout.mirrorOf("example.com").providerRepository("a", "b.c"), "terraform-provider-c_1.0.0_linux_amd64.zip"));
        Set<String> stored = new HashSet<>();
        for (String[] pair : pairs) {
            String tag = flat.encode(pair[0], pair[1]);
            assertThat(References.isValidTag(tag)).as(tag).isTrue();
            assertThat(stored.add(tag)).as("collision at " + tag).isTrue();
            assertThat(flat.decode(tag)).contains(new FlatTags.Decoded.Plain(pair[0], pair[1]));
        }
    }

    @Test
    void theLongestNamesAndVersionsTerraformAcceptsGetAValidHashedTagNamedInTheAnnotation() {
        // Terraform: namespace and module name up to 64 characters, module provider and provider type up to 64;
        // versions have no length limit, so a long pre-release and build stands in for the worst case.
        String namespace = "n".repeat(31) + "-" + "n".repeat(32);
        String name = "m".repeat(31) + "_" + "m".repeat(32);
        String provider = "p".repeat(64);
        String version = "1.2.3-" + "rc.".repeat(20) + "1+" + "build.".repeat(20) + "7";
        String repository = layout.moduleRepository(namespace, name, provider);
        String tag = layout.moduleTag(namespace, name, provider, version);
        String stored = flat.encode(repository, tag);
        assertThat(stored).hasSizeLessThanOrEqualTo(128).startsWith("_");
        assertThat(References.isValidTag(stored)).isTrue();
        assertThat(flat.decode(stored)).contains(new FlatTags.Decoded.Hashed());
        assertThat(flat.fromReference(flat.reference(repository, tag))).contains(new FlatTags.Decoded.Plain(repository, tag));
        // Another version of the same module gets another tag.
        assertThat(flat.encode(repository, layout.moduleTag(namespace, name, provider, version + "8"))).isNotEqualTo(stored);

        String providerRepository = layout.providerRepository("acme", "d".repeat(64));
        String file = layout.providerTag(ProviderFile.archive("d".repeat(64), version, "linux", "amd64"));
        String hashedInPath = flat.encode(providerRepository, file);
        assertThat(hashedInPath).hasSizeLessThanOrEqualTo(128).startsWith("providers..acme..ddd").contains(".-");
        assertThat(References.isValidTag(hashedInPath)).isTrue();
        assertThat(flat.decode(hashedInPath)).contains(new FlatTags.Decoded.HashedIn(providerRepository));
    }

    @Test
    void tagsOfOtherToolsAreNotMistakenForFlatOnes() {
        assertThat(flat.decode("latest")).isEmpty();
        assertThat(flat.decode("1.0.0")).isEmpty();
        assertThat(flat.decode("_short")).isEmpty();
        assertThat(flat.decode("Modules..X._tag")).isEmpty();
    }

    private static String[] pair(String repository, String tag) {
        return new String[] {repository, tag};
    }
}
