package dev.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.cli.boring.EnvironmentDefaults;
import dev.wharf.cli.boring.ServerCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/** boring-registry started in this JVM as its command line starts it, on an embedded layout, with the bundled example module. */
final class InProcessRegistry {
    private InProcessRegistry() {
    }

    /** {@code upload module examples/modules} into {@code layout}: example/hello/null 1.0.0. */
    static void uploadExampleModule(Path layout) {
        StringWriter err = new StringWriter();
        int code = new BoringRegistryCli(Map.of()).commandLine(new PrintWriter(new StringWriter()), new PrintWriter(err, true))
                .execute("upload", "module", "--storage-oci-layout-dir", layout.toString(),
                        Path.of("examples/modules").toAbsolutePath().toString());
        assertThat(code).as(err.toString()).isZero();
    }

    /** {@code server} on any free ports over {@code layout}, with {@code flags} and the variables of {@code environment}. */
    static ServerCommand.Running start(Path layout, Map<String, String> environment, String... flags) {
        return start(layout, Clock.systemUTC(), environment, flags);
    }

    /** As above, failed credential checks counted on {@code clock}. */
    static ServerCommand.Running start(Path layout, Clock clock, Map<String, String> environment, String... flags) {
        ServerCommand command = new ServerCommand(clock);
        List<String> args = new ArrayList<>(List.of("--listen-address", "127.0.0.1:0", "--listen-telemetry-address", "127.0.0.1:0",
                "--storage-oci-layout-dir", layout.toString()));
        args.addAll(List.of(flags));
        new CommandLine(command).setDefaultValueProvider(new EnvironmentDefaults(environment)).parseArgs(args.toArray(String[]::new));
        return command.start();
    }

    static ServerCommand.Running start(Path layout, String... flags) {
        return start(layout, Map.of(), flags);
    }
}
