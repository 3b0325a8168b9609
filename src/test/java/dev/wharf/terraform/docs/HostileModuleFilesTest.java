package dev.wharf.terraform.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A module's .tf files as a hostile publisher writes them, well inside the size limits: each is a
 * note or a value the reader leaves out, never an error of the page that shows the docs (nesting
 * had overflowed the stack, numbers had thrown, on every view of the module).
 */
class HostileModuleFilesTest {
    private static final int DEEP = 20_000;

    @Test
    void blocksNestedTwentyThousandDeepAreANoteNotAStackOverflow() {
        ModuleDocs docs = read("a{".repeat(DEEP) + "\n" + "}".repeat(DEEP) + "\n");
        assertThat(docs.noteTexts()).singleElement().asString().startsWith("main.tf: not read").contains("nested more than 100 deep");
        assertThat(docs.inputs()).singleElement().satisfies(i -> assertThat(i.name()).isEqualTo("kept"));
    }

    @Test
    void templatesNestedTwentyThousandDeepAreANote() {
        ModuleDocs docs = read("x = \"" + "${\"".repeat(DEEP) + "\n");
        assertThat(docs.noteTexts()).singleElement().asString().startsWith("main.tf: not read").contains("nested more than 100 deep");
    }

    @Test
    void aDefaultNestedTwentyThousandDeepHasNoStaticValue() {
        ModuleDocs docs = read("variable \"deep\" {\n  default = " + "[".repeat(DEEP) + "]".repeat(DEEP) + "\n}\n"
                + "variable \"shallow\" {\n  default = [[[1]]]\n}\n");
        assertThat(docs.noteTexts()).isEmpty();
        ModuleDocs.Input deep = input(docs, "deep");
        assertThat(deep.defaultValue().isNull() || deep.defaultValue().isMissingNode()).as(deep.defaultValue().toString()).isTrue();
        assertThat(input(docs, "shallow").defaultValue().toString()).isEqualTo("[[[1]]]");
    }

    @Test
    void numbersNoDoubleOrDecimalHoldsAreNoValue() {
        ModuleDocs docs = read("""
                variable "huge" {
                  default = 1e9999999999
                }
                variable "wide" {
                  default = 1e2000000000
                  description = 1e2000000000
                }
                variable "big" {
                  default = 1e400
                  description = 1e400
                }
                """);
        assertThat(docs.noteTexts()).isEmpty();
        assertThat(input(docs, "huge").defaultValue().isNumber()).isFalse();
        assertThat(input(docs, "wide").defaultValue().isNumber()).isFalse();
        assertThat(input(docs, "wide").description()).isEmpty();
        assertThat(input(docs, "big").defaultValue().isNumber()).isTrue();
        assertThat(input(docs, "big").description()).hasValueSatisfying(d -> assertThat(d).startsWith("1000").hasSize(401));
    }

    /**
     * Operators let a default grow what it holds: twenty thousand unary minuses nest as deep as
     * brackets would, a hundred thousand additions are a long loop, and products past a thousand
     * digits (which a description would write out in full) have no value, as literals that long do.
     */
    @Test
    void operatorsNeitherOverflowTheStackNorGrowNumbersPastTheDigitLimit() {
        ModuleDocs docs = read("variable \"negated\" {\n  default = " + "-".repeat(DEEP) + "1\n}\n"
                + "variable \"not\" {\n  default = " + "!".repeat(DEEP) + "true\n}\n"
                + "variable \"sum\" {\n  default = 1" + " + 1".repeat(100_000) + "\n}\n"
                + "variable \"product\" {\n  default = 1e900 * 1e900\n  description = \"${1e900 * 1e900}\"\n}\n"
                + "variable \"within\" {\n  default = 1e500 * 1e400\n}\n");
        assertThat(docs.noteTexts()).isEmpty();
        assertThat(input(docs, "negated").defaultValue().isNull()).isTrue();
        assertThat(input(docs, "not").defaultValue().isNull()).isTrue();
        assertThat(input(docs, "sum").defaultValue().intValue()).isEqualTo(100_001);
        assertThat(input(docs, "product").defaultValue().isNull()).isTrue();
        assertThat(input(docs, "product").description()).isEmpty();
        assertThat(input(docs, "within").defaultValue().isNumber()).isTrue();
    }

    /**
     * A for expression repeats its body per element and nests: three of them over a thousand
     * elements would build a billion values from a few kilobytes. What a default builds stops at
     * what a file may hold (no value then), and nesting for expressions or splats as deep as
     * brackets overflows no stack.
     */
    @Test
    void forExpressionsAndSplatsBuildNoMoreThanAFileHolds() {
        String thousand = "[" + "\"xxxxxxxxxx\",".repeat(1000) + "]";
        ModuleDocs docs = read("variable \"cubed\" {\n  default = [for a in " + thousand + " : [for b in " + thousand + " : [for c in "
                + thousand + " : c]]]\n}\n"
                + "variable \"copies\" {\n  default = [for a in " + thousand + " : [for b in " + thousand + " : \"${a}${b}\"]]\n}\n"
                + "variable \"splats\" {\n  default = [for a in " + thousand + " : " + thousand + "[*]][*][*]\n}\n"
                + "variable \"squared_small\" {\n  default = [for a in [1, 2, 3] : [for b in " + thousand + " : b]]\n}\n"
                + "variable \"nested_for\" {\n  default = " + "[for a in [1] : ".repeat(DEEP) + "a" + "]".repeat(DEEP) + "\n}\n"
                + "variable \"nested_splat\" {\n  default = [1]" + "[*]".repeat(DEEP) + "\n}\n");
        assertThat(docs.noteTexts()).isEmpty();
        for (String name : new String[] {"cubed", "copies", "splats", "nested_for", "nested_splat"}) {
            assertThat(input(docs, name).defaultValue().isNull()).as(name).isTrue();
        }
        assertThat(input(docs, "squared_small").defaultValue().size()).isEqualTo(3);
        assertThat(input(docs, "squared_small").defaultValue().get(2).size()).isEqualTo(1000);
    }

    /** Template directives nest and repeat as for expressions do: bounded the same ways. */
    @Test
    void templateDirectivesBuildNoMoreThanAFileHoldsNorNestPastTheLimit() {
        String thousand = "[" + "\"xxxxxxxxxx\",".repeat(1000) + "]";
        ModuleDocs docs = read("variable \"cubed\" {\n  default = \"%{ for a in " + thousand + " }%{ for b in " + thousand + " }%{ for c in "
                + thousand + " }${c}%{ endfor }%{ endfor }%{ endfor }\"\n}\n"
                + "variable \"nested_if\" {\n  default = \"" + "%{ if true }".repeat(DEEP) + "x" + "%{ endif }".repeat(DEEP) + "\"\n}\n"
                + "variable \"unbalanced\" {\n  default = \"" + "%{ for x in [1] }".repeat(DEEP) + "\"\n}\n"
                + "variable \"squared_small\" {\n  default = \"%{ for a in [1, 2] }%{ for b in " + thousand + " }${b}%{ endfor }%{ endfor }\"\n}\n");
        assertThat(docs.noteTexts()).isEmpty();
        for (String name : new String[] {"cubed", "nested_if", "unbalanced"}) {
            assertThat(input(docs, name).defaultValue().isNull()).as(name).isTrue();
        }
        assertThat(input(docs, "squared_small").defaultValue().textValue()).hasSize(20_000);
    }

    /** Heredocs interpolating heredocs nest without the lexer seeing it: their evaluation stops at the nesting limit. */
    @Test
    void heredocsNestedInInterpolationsTwentyThousandDeepHaveNoStaticValue() {
        StringBuilder nested = new StringBuilder("x");
        for (int i = 0; i < DEEP; i++) {
            nested.insert(0, "${<<E" + i + "\n").append("\nE").append(i).append("\n}");
        }
        ModuleDocs docs = read("variable \"deep\" {\n  default = <<TOP\n" + nested + "\nTOP\n}\n"
                + "variable \"shallow\" {\n  default = <<TOP\n${<<A\n${1 + 1}\nA\n}\nTOP\n}\n");
        assertThat(docs.noteTexts()).isEmpty();
        assertThat(input(docs, "deep").defaultValue().isNull()).isTrue();
        assertThat(input(docs, "shallow").defaultValue().textValue()).isEqualTo("2\n\n");
    }

    /**
     * A million blocks without their label are a hundred notes and a count; what is kept weighs what
     * it holds in the documentation cache (a megabyte of required_version had weighed nothing).
     */
    @Test
    void notesAreBoundedAndWhatTheDocsHoldIsWeighed() {
        ModuleDocs docs = read("variable {}\n".repeat(200_000) + "terraform {\n  required_version = \"" + "9".repeat(1 << 20) + "\"\n}\n");
        assertThat(docs.noteTexts()).hasSize(101).last().asString().isEqualTo("and 199900 more notes like these");
        assertThat(ModuleDocumentation.weight(new ArchiveDocs(docs, java.util.List.of()))).isGreaterThan(2L << 20);
    }

    /**
     * A quoted label may hold any character: terraform refuses a variable, output or module call whose name is no HCL
     * identifier ("Invalid variable name"), so such a block is a note, not an input the page documents.
     */
    @Test
    void aVariableOutputOrModuleNamedWithANulByteIsLeftOutAsTerraformRefusesIt() {
        ModuleDocs docs = read("variable \"a\\u0000b\" {}\nvariable \"raw\u0000nul\" {}\noutput \"out\\u0000\" {\n  value = 1\n}\n"
                + "module \"call\\u0000\" {\n  source = \"./m\"\n}\nvariable \"_fine-name_2\" {}\nvariable \"caf\u00e9\" {}\n");
        assertThat(docs.inputs()).extracting(ModuleDocs.Input::name).containsExactlyInAnyOrder("_fine-name_2", "caf\u00e9", "kept");
        assertThat(docs.outputs()).isEmpty();
        assertThat(docs.moduleCalls()).isEmpty();
        String rule = "' is left out, as terraform refuses it: a name must start with a letter or underscore and may contain only letters,"
                + " digits, underscores, and dashes";
        assertThat(docs.noteTexts()).containsExactly("main.tf: line 1: the variable 'a\\x00b" + rule, "main.tf: line 2: the variable 'raw\\x00nul" + rule,
                "main.tf: line 3: the output 'out\\x00" + rule, "main.tf: line 6: the module 'call\\x00" + rule);
    }

    private static ModuleDocs.Input input(ModuleDocs docs, String name) {
        return docs.inputs().stream().filter(i -> i.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no input " + name + " in " + docs.inputs()));
    }

    private static ModuleDocs read(String mainTf) {
        return ModuleReader.read("", Map.of("main.tf", mainTf, "kept.tf", "variable \"kept\" {}\n"));
    }
}
