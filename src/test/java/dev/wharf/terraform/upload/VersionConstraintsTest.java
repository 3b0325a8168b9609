package dev.wharf.terraform.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.terraform.Version;
import org.junit.jupiter.api.Test;

/** Against the semantics Terraform documents under "Version Constraints". */
class VersionConstraintsTest {
    private static boolean allows(String constraint, String version) {
        return VersionConstraints.parse(constraint).allows(Version.parse(version));
    }

    @Test
    void pessimisticOperatorAllowsOnlyTheRightmostComponentToGrow() {
        assertThat(allows("~> 1.2", "1.2.0")).isTrue();
        assertThat(allows("~> 1.2", "1.9.9")).isTrue();
        assertThat(allows("~> 1.2", "2.0.0")).isFalse();
        assertThat(allows("~> 1.2", "1.1.9")).isFalse();
        assertThat(allows("~> 1.2.3", "1.2.10")).isTrue();
        assertThat(allows("~> 1.2.3", "1.3.0")).isFalse();
        assertThat(allows("~> 1.2.3", "1.2.2")).isFalse();
        assertThat(allows("~> 1", "1.9.0")).isTrue();
        assertThat(allows("~> 1", "2.0.0")).isFalse();
    }

    @Test
    void commaMeansAllMustHold() {
        assertThat(allows(">= 1.2.0, < 2.0.0", "1.5.0")).isTrue();
        assertThat(allows(">= 1.2.0, < 2.0.0", "2.0.0")).isFalse();
        assertThat(allows(">= 1.0, != 1.3.0", "1.3.0")).isFalse();
        assertThat(allows(">= 1.0, != 1.3.0", "1.3.1")).isTrue();
    }

    @Test
    void comparisonsAndExactMatches() {
        assertThat(allows("1.2.3", "1.2.3")).isTrue();
        assertThat(allows("= 1.2.3", "1.2.4")).isFalse();
        assertThat(allows("> 1.2.3", "1.2.4")).isTrue();
        assertThat(allows("<= 1.2.3", "1.2.3")).isTrue();
        assertThat(allows("< 1.2.3", "1.2.3")).isFalse();
        assertThat(allows("1.2", "1.2.0")).isTrue();
    }

    @Test
    void preReleasesMatchOnlyConstraintsNamingThem() {
        assertThat(allows(">= 1.0.0", "1.1.0-beta1")).isFalse();
        assertThat(allows("1.1.0-beta1", "1.1.0-beta1")).isTrue();
        assertThat(allows(">= 1.1.0-beta1", "1.1.0-beta2")).isTrue();
        assertThat(allows(">= 1.1.0-beta1", "1.2.0-beta2")).isFalse();
    }

    @Test
    void malformedConstraintsAreRefusedWithTheCulprit() {
        assertThatThrownBy(() -> VersionConstraints.parse(">= 1.0, ^2")).hasMessageContaining("'^2'");
        assertThatThrownBy(() -> VersionConstraints.parse(">= 1.0,")).hasMessageContaining("malformed");
        assertThatThrownBy(() -> VersionConstraints.parse(" ")).hasMessageContaining("empty");
    }
}
