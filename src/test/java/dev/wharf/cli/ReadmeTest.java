package dev.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.cli.epr.PackageRegistryCommandLine;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** README.md is the front door: every flag of every command must be documented there, and --help must work. */
class ReadmeTest {
    private final String readme = read();

    private static String read() {
        try {
            return Files.readString(Path.of("README.md"));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("README.md not found in the project folder", e);
        }
    }

    @Test
    void documentsEveryBoringRegistryFlag() {
        CommandLine root = new BoringRegistryCli(Map.of()).commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        assertEveryFlagDocumented(root);
    }

    @Test
    void documentsEveryPackageRegistryFlag() {
        assertEveryFlagDocumented(PackageRegistryCommandLine.create(Map.of()));
    }

    @Test
    void everyCommandAnswersHelp() {
        for (CommandLine command : all(new BoringRegistryCli(Map.of()).commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter())))) {
            assertThat(command.getCommandSpec().optionsMap()).as(command.getCommandSpec().qualifiedName() + " has --help")
                    .containsKey("--help");
        }
        for (CommandLine command : all(PackageRegistryCommandLine.create(Map.of()))) {
            assertThat(command.getCommandSpec().optionsMap()).as(command.getCommandSpec().qualifiedName() + " has -help")
                    .containsKey("-help");
        }
    }

    /** Fleet reads one key from its key file, and so does Wharf since 4e2a9df: a help text that does not say so invites a key file of several. */
    @Test
    void everyVerificationKeyFlagSaysOnlyTheFilesFirstKeyVerifies() {
        List<String> flags = new ArrayList<>();
        for (CommandLine command : all(PackageRegistryCommandLine.create(Map.of()))) {
            for (OptionSpec option : command.getCommandSpec().options()) {
                if (option.longestName().endsWith("verification-key")) {
                    flags.add(command.getCommandSpec().qualifiedName() + " " + option.longestName());
                    assertThat(String.join(" ", option.description())).as(command.getCommandSpec().qualifiedName() + " " + option.longestName())
                            .contains("first key");
                }
            }
        }
        assertThat(flags).as("the flags checked").hasSizeGreaterThanOrEqualTo(3);
    }

    private void assertEveryFlagDocumented(CommandLine root) {
        List<String> missing = new ArrayList<>();
        for (CommandLine command : all(root)) {
            CommandSpec spec = command.getCommandSpec();
            for (OptionSpec option : spec.options()) {
                if (option.usageHelp() || option.versionHelp()) {
                    continue;
                }
                if (!readme.contains(option.longestName())) {
                    missing.add(spec.qualifiedName() + " " + option.longestName());
                }
            }
        }
        assertThat(missing).as("flags missing from README.md (scripts/reference prints every --help)").isEmpty();
    }

    private static List<CommandLine> all(CommandLine root) {
        List<CommandLine> result = new ArrayList<>();
        result.add(root);
        root.getSubcommands().values().forEach(sub -> result.addAll(all(sub)));
        return result;
    }
}
