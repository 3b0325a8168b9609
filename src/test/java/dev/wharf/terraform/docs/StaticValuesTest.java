package dev.wharf.terraform.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Shapes the golden test module (terraform-docs/modules/defaults) does not hold, each with what
 * HCL evaluates it to without variables or functions, as hclsyntax's Value(nil) gave it (HCL 2.14.1,
 * Debian 12's); "none" where HCL has no known value. Where this differs from that HCL: a template
 * whose interpolation fails keeps only the text before it, as HCL 2.20 (terraform-config-inspect's)
 * does.
 */
class StaticValuesTest {
    static Stream<Arguments> expressions() {
        return Stream.of(
                Arguments.of("[10, 20, 30][1]", "20"),
                Arguments.of("[10, 20, 30][\"2\"]", "30"),
                Arguments.of("[10, 20, 30][3]", "none"),
                Arguments.of("[10, 20, 30][-1]", "none"),
                Arguments.of("[10, 20, 30][0.5]", "none"),
                Arguments.of("{ a = { b = [1, 2] } }.a.b[1]", "2"),
                Arguments.of("{ a = 1 }[\"a\"]", "1"),
                Arguments.of("{ a = 1 }.b", "none"),
                Arguments.of("[[1, 2]][0].1", "2"),
                                Arguments.of("true ? 1 : max(1, 2)", "1"),
                Arguments.of("false ? 1 : max(1, 2)", "none"),
                Arguments.of("true ? \"a\" : [for x in [1] : x]", "none"),
                Arguments.of("true ? [1] : local.list", "[1]"),
                Arguments.of("max(1, 2) ? 1 : 2", "none"),
                Arguments.of("[\n  1 +\n  2,\n  3\n]", "[3,3]"),
                Arguments.of("(\n  2 *\n  3\n)", "6"),
                Arguments.of("{ (\"k\") = 1, \"${\"j\"}\" = 2 }", "{\"j\":2,\"k\":1}"),
                Arguments.of("{ (var.k) = 1 }", "none"),
                Arguments.of("1 / 3 * 3", "1"),
                Arguments.of("1 / 0", "none"),
                Arguments.of("0 / 0", "none"),
                Arguments.of("\"${1 / 4}s\"", "\"0.25s\""),
                Arguments.of("\"${null}\"", "null"),
                Arguments.of("\"a${null}b\"", "\"a\""),
                Arguments.of("\"${[1]}x\"", "\"\""),
                Arguments.of("true ? [\"a\"] : [for x in [1] : x]", "[\"a\"]"),
                Arguments.of("[for x in [1, 2] : x if x > 1][0]", "2"),
                Arguments.of("[for s in [\"a\", \"b\"] : s == \"a\" ? 1 : upper(s)]", "none"),
                Arguments.of("{ for k, v in { a = 1 } : k => v }", "{\"a\":1}"),
                Arguments.of("{ for k, v in { a = 1 } : k => v }.a", "1"),
                Arguments.of("[for c in [] : c if c]", "[]"),
                Arguments.of("[for c in [] : c if null]", "none"),
                Arguments.of("[for c in [] : c if [c]]", "none"),
                Arguments.of("[for c in [] : c if var.x]", "none"),
                Arguments.of("[for c in [null] : c if c]", "none"),
                Arguments.of("[for i, v in [\"a\", \"b\"] : i + 1]", "[1,2]"),
                Arguments.of("[for v in { b = 1, a = 2 } : v]", "[2,1]"),
                Arguments.of("[{ a = 1 }, { a = 2 }][*][\"a\"]", "[1,2]"),
                Arguments.of("[[1, 2], [3]][*][0]", "[1,3]"),
                Arguments.of("{ a = [1, 2] }.a[*]", "[1,2]"),
                Arguments.of("[1, 2].*", "[1,2]"),
                Arguments.of("null.*", "[]"),
                Arguments.of("[{a = {b = 1}}].*.a.b", "[1]"),
                Arguments.of("true ? null : [1]", "null"),
                Arguments.of("(true ? null : [1])[*]", "none"),
                Arguments.of("{ for s in [\"a\", \"b\"] : s => s... }", "{\"a\":[\"a\"],\"b\":[\"b\"]}"),
                Arguments.of("{ for s in [\"a\", \"b\"] : \"${s}x\" => s if s != \"a\" }", "{\"bx\":\"b\"}"),
                Arguments.of("{a = 1}[*].a[0]", "none"),
                Arguments.of("\"${[for s in [\"a\"] : s][0]}-${{a = 1}.*.a[0]}\"", "\"a-1\""),
                Arguments.of("[for s in [\"a\"] : \"${s}\"]", "[\"a\"]"),
                Arguments.of("\"%{ if true }${[1]}%{ endif }\"", "\"\""),
                Arguments.of("\"%{ if true ~}   x   %{~ endif }\"", "\"x\""),
                Arguments.of("\"${~ 1 ~}\"", "1"),
                Arguments.of("\" ${~ 1}\"", "\"1\""),
                Arguments.of("\"%{ if false }a%{ else }%{ if true }b%{ endif }%{ endif }\"", "\"b\""),
                Arguments.of("\"%{ for x in [[1], [2]] }${x[0]}%{ endfor }\"", "\"12\""),
                Arguments.of("\"%{ for x in {a = \"p\", b = \"q\"} }${x}%{ endfor }\"", "\"pq\""),
                Arguments.of("\"%{ for x in [1] }${y}%{ endfor }\"", "none"),
                Arguments.of("\"a${var.x}b\"", "none"));
    }

    @ParameterizedTest
    @MethodSource("expressions")
    void evaluatesAsHclDoesWithNothingFromOutside(String expression, String expected) throws HclSyntaxException {
        Optional<String> value = StaticValues.of(tokens(expression)).map(Object::toString);
        assertThat(value.orElse("none")).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "true     | true", "\"true\" | true", "\"1\" | true", "\"0\" | false", "1 == 1 | true",
            "\"yes\"  | none", "\"TRUE\" | none", "1 | none", "null | none",
    })
    void boolsConvertAsCtyDoes(String expression, String expected) throws HclSyntaxException {
        assertThat(StaticValues.bool(tokens(expression)).map(Object::toString).orElse("none")).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "\"~> 1.0\" | ~> 1.0", "1.50 | 1.5", "1e3 | 1000", "2 * 3 | 6", "true | true", "\"${1 + 1}.0\" | 2.0",
            "null | none", "[\"1\"] | none",
    })
    void stringsConvertAsCtyDoes(String expression, String expected) throws HclSyntaxException {
        assertThat(StaticValues.string(tokens(expression)).orElse("none")).isEqualTo(expected);
    }

    private static List<HclToken> tokens(String expression) throws HclSyntaxException {
        List<HclToken> all = HclLexer.tokens(expression);
        return all.subList(0, all.size() - 1);
    }
}
