package dev.wharf.terraform.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.terraform.Version;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Against hashicorp/go-version v1.9.0 as boring-registry vendors it (vendor/github.com/hashicorp/
 * go-version): every expected value below is what {@code NewConstraint(c).Check(NewSemver(v))}
 * printed when compiled against that copy. The rule each row pins is named beside it.
 */
class VersionConstraintsTest {
    private static boolean allows(String constraint, String version) {
        return VersionConstraints.parse(constraint).allows(Version.parse(version));
    }

    @ParameterizedTest(name = "''{0}'' allows {1}: {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            # constraint.go 268-306 constraintPessimistic: only segments before the last *given* one must match (loop to c.si-1)
            ~> 1              | 1.5.0                              | true
            ~> 1              | 2.0.0                              | true
            ~> 0              | 5.0.0                              | true
            ~> 1              | 0.9.0                              | false
            ~> 1.2            | 1.2.0                              | true
            ~> 1.2            | 1.9.9                              | true
            ~> 1.2            | 2.0.0                              | false
            ~> 1.2            | 1.1.9                              | false
            ~> 1.2.3          | 1.2.10                             | true
            ~> 1.2.3          | 1.3.0                              | false
            ~> 1.2.3          | 1.2.2                              | false
            # constraint.go 283-285: a constraint with more segments than the version never matches
            ~> 1.2.3.4        | 1.2.3                              | false
            ~> 1.2.0.0        | 1.2.0                              | false
            # constraint.go 270-271: ~> with a pre-release takes only pre-releases of the same numbers
            ~> 1.0.0-beta     | 1.0.0-rc.1                         | true
            ~> 1.0.0-beta     | 1.0.0                              | false
            ~> 1.0.0-beta     | 1.0.1-beta                         | false
            ~> 1.2-beta       | 1.2.0-gamma                        | true
            ~> 1              | 3.0.0-beta.1                       | false
            ~> 1.0            | 1.1.0-beta                         | false
            # constraint.go 244-250 constraintEqual / constraintNotEqual: no pre-release check
            != 1.5.0          | 3.0.0-beta.1                       | true
            != 1.5.0          | 1.5.0                              | false
            != 1.5.0          | 1.5.0+build.7                      | false
            = 1.5.0           | 1.5.0-beta                         | false
            = 1.0.0+x         | 1.0.0+y                            | true
            # version.go 169-225 Compare: unequal segment counts compare numbers only, pre-release unseen
            = 1.0.0.0         | 1.0.0-beta                         | true
            1.0.0-beta        | 1.0.0-beta                         | true
            1.5               | 1.5.0                              | true
            =1.5.0            | 1.5.0                              | true
            v1.5.0            | 1.5.0                              | true
            # constraint.go 208-226 prereleaseCheck for > < >= <=
            > 1.2.3           | 1.2.4                              | true
            > 1.2.3           | 1.3.0-beta                         | false
            > 1.2.3-beta      | 1.2.3                              | true
            > 1.2.3-beta      | 1.2.3-rc                           | true
            > 1.2.3-beta      | 1.2.4-rc                           | false
            < 2.0.0           | 2.0.0-beta                         | false
            < 2.0.0-beta      | 1.9.0                              | true
            >= 1.0.0          | 1.1.0-beta1                        | false
            >= 1.1.0-beta1    | 1.1.0-beta2                        | true
            >= 1.1.0-beta1    | 1.2.0-beta2                        | false
            <= 1.2.3          | 1.2.3                              | true
            <= 1.2.3-rc       | 1.2.3-beta                         | true
            < 1.2.3           | 1.2.3                              | false
            # version.go 261-303 comparePart: go-version's own pre-release order, not SemVer's
            >= 1.0.0-alpha.beta | 1.0.0-alpha                        | true
            > 1.0.0-a         | 1.0.0-a.b                          | false
            >= 1.0.0-a.1      | 1.0.0-a                            | false
            > 1.0.0-alpha     | 1.0.0-alpha.1                      | true
            > 1.0.0-alpha.01  | 1.0.0-alpha.1                      | false
            >1.0.0-1          | 1.0.0-a                            | true
            > 1.0.0-a.b       | 1.0.0-a.99999999999999999999       | true
            < 1.0.0-a.b       | 1.0.0-a.99999999999999999999       | false
            # version.go 41-44 VersionRegexpRaw: a constraint's letter pre-release needs no hyphen
            >= 1.0.0beta      | 1.0.0-beta                         | true
            # constraint.go 58-70 NewConstraint: comma-separated, all must hold
            ">= 1.2.0, < 2.0.0" | 1.5.0                            | true
            ">= 1.2.0, < 2.0.0" | 2.0.0                            | false
            ">= 1.0, != 1.3.0"  | 1.3.0                            | false
            "~>1.2 , !=1.2.5"   | 1.2.6                            | true
            ">=1.0.0 , <= 2"    | 2.0.0                            | true
            """)
    void matchesGoVersion(String constraint, String version, boolean expected) {
        assertThat(allows(constraint, version)).isEqualTo(expected);
    }

    @Test
    void malformedConstraintsAreRefusedWithTheCulprit() {
        assertThatThrownBy(() -> VersionConstraints.parse(">= 1.0, ^2")).hasMessageContaining("'^2'");
        assertThatThrownBy(() -> VersionConstraints.parse(">= 1.0,")).hasMessageContaining("malformed");
        assertThatThrownBy(() -> VersionConstraints.parse("> = 1.0")).hasMessageContaining("malformed");
        assertThatThrownBy(() -> VersionConstraints.parse(" ")).hasMessageContaining("empty");
        assertThatThrownBy(() -> VersionConstraints.parse(">= 99999999999999999999")).hasMessageContaining("larger than");
    }
}
