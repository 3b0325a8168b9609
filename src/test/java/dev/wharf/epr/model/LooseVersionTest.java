package dev.wharf.epr.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Versions with numbers past a Java int, read and checked as Masterminds semver (EPR's) reads and
 * checks them: each expected value is what its {@code NewVersion}, {@code String}, and
 * {@code NewConstraint(…).Check} gave for the same text (its source, run offline with Go).
 */
class LooseVersionTest {
    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = ';', value = {
        "8.4294967296.0;8.4294967296.0",
        "4294967296.0;4294967296.0.0",
        "18446744073709551615.0.0;18446744073709551615.0.0",
        "08.0000000004294967296;8.4294967296.0",
        "v08.4294967296.01-rc.1+b.01;8.4294967296.1-rc.1+b.01",
        "0000000000000000000000000018446744073709551615;18446744073709551615.0.0",
    })
    void readsNumbersUpToAnUnsigned64BitOne(String text, String shown) {
        assertThat(LooseVersion.parse(text)).hasToString(shown);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
        "18446744073709551616.0;18446744073709551616",
        "8.99999999999999999999.0;99999999999999999999",
        "8.0.099999999999999999999;099999999999999999999",
        "99999999999999999999.0.0-01;99999999999999999999",
    })
    void refusesANumberPastItWithGosWords(String text, String number) {
        assertThatThrownBy(() -> LooseVersion.parse(text))
                .hasMessage("error parsing version segment: strconv.ParseUint: parsing \"" + number + "\": value out of range");
    }

    @ParameterizedTest(name = "{0} checks {1}: {2}")
    @CsvSource(delimiter = ';', value = {
        "^8.10.0 || ^9.0.0;8.4294967296.0;true",
        "^8.10.0 || ^9.0.0;9.18446744073709551615;true",
        "^8.10.0 || ^9.0.0;18446744073709551615;false",
        "^8.12.0;9.18446744073709551615;false",
        ">=2.4294967296.0;2.10.0;false",
        "<=3.4294967296.0;3.1.0;true",
        ">=4294967296.0.0;3.1.0;false",
        // Past Long.MAX_VALUE a long is negative: Go's "> 0" of a uint64 is "!= 0" here.
        "^9223372036854775808.0.0;9223372036854775808.1.0;true",
        "^0.9223372036854775808.0;0.9223372036854775808.1;true",
        "~9223372036854775808.1;9223372036854775808.1.5;true",
        ">9223372036854775807;9223372036854775808.0.0;true",
        "<=9223372036854775807.1;9223372036854775808.0.0;false",
    })
    void rangesCheckSuchVersionsAsMastermindsDoes(String range, String version, boolean inRange) {
        assertThat(VersionConstraint.parse(range)).get().satisfies(c -> assertThat(c.check(LooseVersion.parse(version))).isEqualTo(inRange));
    }
}
