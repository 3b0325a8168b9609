package dev.wharf.epr.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.semver4j.Semver;

/** Ranges read and checked as EPR's parser (Masterminds semver v3) reads and checks them. */
class VersionsRangeTest {
    @ParameterizedTest(name = "''{0}'' accepted: {1}")
    @CsvSource(delimiter = ';', value = {
        "^8.3.0 || ;false",
        "^8.3.0 ||| 9.x;false",
        "'';false",
        "'   ';false",
        "eight;false",
        "^8.3.0 &&;false",
        ">=8.0.0,,<9;false",
        "1.2.x.5;false",
        "8|;false",
        "8.0.0 -8.5.0;false",
        "^8.3.0-01;false",
        "|| ^8.0.0;false",
        "=> 8.3.0;true",
        "^7.14.0 || ^8.0.0;true",
        ">=8.0.0, <9.0.0;true",
        ">=8.0.0,<9.0.0;true",
        ">= 8.0.0 < 9.0.0;true",
        "8.0.0 - 8.5.0;true",
        "~> 8.1;true",
        "8.x;true",
        "*;true",
        "x;true",
        "v8.1.0;true",
        ">=08.1.0;true",
        "^8.3.0-SNAPSHOT;true",
        "=<8.1;true",
        "!=8.1.x;true",
    })
    void acceptsWhatEprAccepts(String range, boolean accepted) {
        assertThat(Versions.range(range).isPresent()).as(range).isEqualTo(accepted);
    }

    @ParameterizedTest(name = "''{0}'' matches {1}: {2}")
    @CsvSource(delimiter = ';', value = {
        "=> 8.3.0;8.3.0;true",
        "=> 8.3.0;8.2.9;false",
        "^8.3.0;8.9.1;true",
        "^8.3.0;9.0.0;false",
        "^8.3.0;8.3.0-SNAPSHOT;false",
        "^8.3.0-SNAPSHOT;8.3.0-SNAPSHOT;true",
        "^8.3.0-SNAPSHOT;8.4.0;true",
        "^0.2.3;0.2.9;true",
        "^0.2.3;0.3.0;false",
        "^0.0.3;0.0.4;false",
        "^0;0.9.0;true",
        "~8.1;8.1.9;true",
        "~8.1;8.2.0;false",
        "~8;8.9.0;true",
        ">8;8.5.0;false",
        ">8;9.0.0;true",
        ">8.1;8.1.5;false",
        ">8.1;8.2.0;true",
        "<=8.1;8.1.9;true",
        "<=8.1;8.2.0;false",
        "8.x;8.4.2;true",
        "8.x;9.0.0;false",
        "!=8.1.x;8.1.4;false",
        "!=8.1.x;8.2.0;true",
        "8.0.0 - 8.5.0;8.5.0;true",
        "8.0.0 - 8.5.0;8.5.1;false",
        ">=7.0.0, <8.0.0 || ^8.10.0;8.11.0;true",
        ">=7.0.0, <8.0.0 || ^8.10.0;8.9.0;false",
        ">=7.0.0, <8.0.0 || ^8.10.0;7.17.3;true",
        "*;1.0.0;true",
        "*;1.0.0-beta1;false",
        "8.1.0;8.1.0;true",
        "8.1.0;8.1.1;false",
        ">=8.0.0-a.2;8.0.0-a.10;true",
        ">=8.0.0-a.b;8.0.0-a.10;false",
    })
    void matchesWhatEprMatches(String range, String version, boolean matches) {
        assertThat(Versions.range(range)).as(range).hasValueSatisfying(
                r -> assertThat(r.test(Semver.parse(version))).as(range + " on " + version).isEqualTo(matches));
    }
}
