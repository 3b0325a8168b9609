package dev.wharf.terraform.layout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class TerraformLayoutTest {
    private final TerraformLayout layout = TerraformLayout.under("boring-registry");

    @Test
    void placesModulesExactlyAsTheSeedSays() {
        assertThat(layout.moduleRepository("hashicorp", "consul", "aws")).isEqualTo("boring-registry/modules/hashicorp/consul/aws");
        assertThat(layout.moduleTag("hashicorp", "consul", "aws", "1.0.0")).isEqualTo("hashicorp-consul-aws-1.0.0");
        assertThat(layout.moduleVersion("hashicorp", "consul", "aws", "hashicorp-consul-aws-1.0.0")).contains("1.0.0");
        assertThat(layout.moduleVersion("hashicorp", "consul", "aws", "hashicorp-consul-gcp-1.0.0")).isEmpty();
    }

    @Test
    void lowerCasesNamesForOci() {
        assertThat(layout.moduleRepository("HashiCorp", "Consul", "aws")).isEqualTo("boring-registry/modules/hashicorp/consul/aws");
        assertThat(layout.moduleTag("HashiCorp", "Consul", "aws", "1.0.0-RC1")).isEqualTo("hashicorp-consul-aws-1.0.0-RC1");
    }

    @Test
    void placesProviderFilesAndSigningKeysAsTheSeedSays() {
        assertThat(layout.providerRepository("acme", "dummy")).isEqualTo("boring-registry/providers/acme/dummy");
        assertThat(layout.signingKeysRepository("acme")).isEqualTo("boring-registry/providers/acme");
        assertThat(layout.providerTag(ProviderFile.archive("dummy", "1.2.3", "linux", "amd64")))
                .isEqualTo("terraform-provider-dummy_1.2.3_linux_amd64.zip");
        assertThat(layout.providerTag(ProviderFile.sha256Sums("dummy", "1.2.3"))).isEqualTo("terraform-provider-dummy_1.2.3_SHA256SUMS");
        assertThat(layout.providerTag(ProviderFile.signature("dummy", "1.2.3"))).isEqualTo("terraform-provider-dummy_1.2.3_SHA256SUMS.sig");
    }

    @Test
    void mirrorUsesTheSameTagsBelowMirrorProvidersHostname() {
        TerraformLayout mirror = layout.mirrorOf("registry.terraform.io");
        assertThat(mirror.providerRepository("hashicorp", "aws")).isEqualTo("boring-registry/mirror/providers/registry.terraform.io/hashicorp/aws");
        assertThat(mirror.signingKeysRepository("hashicorp")).isEqualTo("boring-registry/mirror/providers/registry.terraform.io/hashicorp");
        assertThat(mirror.providerTag(ProviderFile.sha256Sums("aws", "5.0.0"))).isEqualTo(layout.providerTag(ProviderFile.sha256Sums("aws", "5.0.0")));
    }

    @Test
    void buildMetadataIsEncodedReversibly() {
        String tag = layout.moduleTag("acme", "vpc", "aws", "1.2.0+build.7");
        assertThat(tag).isEqualTo("acme-vpc-aws-1.2.0__build.7");
        assertThat(layout.moduleVersion("acme", "vpc", "aws", tag)).contains("1.2.0+build.7");

        String providerTag = layout.providerTag(ProviderFile.archive("dummy", "1.0.0+abc", "linux", "arm64"));
        assertThat(providerTag).isEqualTo("terraform-provider-dummy_1.0.0__abc_linux_arm64.zip");
        assertThat(layout.providerFile(providerTag)).contains(ProviderFile.archive("dummy", "1.0.0+abc", "linux", "arm64"));
    }

    @Test
    void aTagOver128CharactersIsAClearError() {
        String longName = "n".repeat(60);
        assertThatThrownBy(() -> layout.moduleTag(longName, longName, "aws", "1.0.0"))
                .isInstanceOf(LayoutException.class)
                .hasMessageContaining("128")
                .hasMessageContaining("would be 131 characters");
    }

    @Test
    void refusesNamesThatCannotBeOciPaths() {
        assertThatThrownBy(() -> layout.moduleRepository("a/b", "c", "d")).isInstanceOf(LayoutException.class).hasMessageContaining("'/'");
        assertThatThrownBy(() -> TerraformLayout.under("Bad Repo")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void readsProviderFileNames() {
        assertThat(ProviderFile.parse("terraform-provider-aws_5.0.0_darwin_arm64.zip"))
                .contains(ProviderFile.archive("aws", "5.0.0", "darwin", "arm64"));
        assertThat(ProviderFile.parse("terraform-provider-aws_5.0.0_SHA256SUMS.sig")).map(ProviderFile::kind).contains(ProviderFile.Kind.SIGNATURE);
        assertThat(ProviderFile.parse("terraform-provider-aws_5.0.0_manifest.json")).map(ProviderFile::kind).contains(ProviderFile.Kind.MANIFEST);
        assertThat(ProviderFile.parse("signing-keys.json")).isEqualTo(Optional.empty());
        assertThat(ProviderFile.parse("terraform-provider-aws_5.0.0_linux.zip")).isEmpty();
    }
}
