package dev.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * A run builds only the subcommand its arguments name (a server's start does not pay for reading
 * the options of upload, import and token), with the same settings it would have among all of them;
 * help, a typo or no subcommand get every one.
 */
class BoringRegistryCliSubcommandsTest {
    private static final String[] ALL = {"server", "upload", "import", "token", "version"};

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private CommandLine forArgs(Map<String, String> env, String... args) {
        return new BoringRegistryCli(env).commandLine(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    @Test
    void aRunThatNamesASubcommandBuildsThatOneAlone() {
        assertThat(forArgs(Map.of(), "server", "--listen-address", "127.0.0.1:0").getSubcommands()).containsOnlyKeys("server");
        assertThat(forArgs(Map.of(), "upload", "module", "dir").getSubcommands()).containsOnlyKeys("upload");
        assertThat(forArgs(Map.of(), "version").getSubcommands()).containsOnlyKeys("version");
    }

    @Test
    void helpATypoOrNoSubcommandGetEveryOneInHelpsOrder() {
        assertThat(forArgs(Map.of(), "--help").getSubcommands().keySet()).containsExactly(ALL);
        assertThat(forArgs(Map.of(), "serve").getSubcommands().keySet()).containsExactly(ALL);
        assertThat(forArgs(Map.of()).getSubcommands().keySet()).containsExactly(ALL);
        assertThat(new BoringRegistryCli(Map.of()).commandLine(new PrintWriter(out), new PrintWriter(err)).getSubcommands().keySet())
                .containsExactly(ALL);

        CommandLine typo = forArgs(Map.of(), "serve");
        assertThat(typo.execute("serve")).isEqualTo(2);
        assertThat(err.toString()).contains("Unmatched argument at index 0: 'serve'").contains("Did you mean: boring-registry server");
    }

    @Test
    void theSubcommandBuiltAloneHasTheRootsSettings() {
        // The environment's defaults, the program's name in usage, and the one-line failure handler.
        CommandLine cli = forArgs(Map.of("BORING_REGISTRY_LISTEN_ADDRESS", "127.0.0.1:7001"), "server");
        cli.parseArgs("server");
        assertThat((String) cli.getSubcommands().get("server").getCommandSpec().findOption("--listen-address").getValue())
                .isEqualTo("127.0.0.1:7001");

        assertThat(forArgs(Map.of(), "server", "--help").execute("server", "--help")).isZero();
        assertThat(out.toString()).startsWith("Usage: boring-registry server ");

        int code = forArgs(Map.of(), "upload", "module", "/nonexistent-dir-" + System.nanoTime())
                .execute("upload", "module", "/nonexistent-dir-" + System.nanoTime(), "--storage-oci-layout-dir", "/nonexistent-layout");
        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).startsWith("boring-registry: ").doesNotContain("\tat ");
    }

    /** As pflag and viper read them: a boolean with Go's strconv.ParseBool, a flag given twice by its last value. */
    @Test
    void booleansReadAsGoReadsThemAndARepeatedFlagTakesItsLastValue() {
        for (Map.Entry<String, Boolean> value : Map.of("1", true, "t", true, "T", true, "True", true, "0", false, "f", false,
                "FALSE", false).entrySet()) {
            CommandLine cli = forArgs(Map.of("BORING_REGISTRY_JSON", value.getKey()), "server");
            cli.parseArgs("server", "--download-proxy=" + value.getKey());
            CommandLine server = cli.getSubcommands().get("server");
            assertThat((Boolean) server.getCommandSpec().findOption("--json").getValue()).as(value.getKey()).isEqualTo(value.getValue());
            assertThat((Boolean) server.getCommandSpec().findOption("--download-proxy").getValue()).as(value.getKey())
                    .isEqualTo(value.getValue());
        }
        CommandLine repeated = forArgs(Map.of(), "server");
        repeated.parseArgs("server", "--listen-address", "127.0.0.1:7001", "--listen-address", "127.0.0.1:7002");
        assertThat((String) repeated.getSubcommands().get("server").getCommandSpec().findOption("--listen-address").getValue())
                .isEqualTo("127.0.0.1:7002");

        int code = forArgs(Map.of("BORING_REGISTRY_JSON", "yes"), "server").execute("server", "--listen-address", "127.0.0.1:0");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("'yes' is not a boolean");
    }
}
