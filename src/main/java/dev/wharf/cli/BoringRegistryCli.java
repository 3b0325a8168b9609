package dev.wharf.cli;

import dev.wharf.cli.boring.EnvironmentDefaults;
import dev.wharf.cli.boring.ImportCommand;
import dev.wharf.cli.boring.ServerCommand;
import dev.wharf.cli.boring.UploadCommand;
import dev.wharf.cli.boring.TokenCommand;
import dev.wharf.cli.boring.VersionCommand;
import dev.wharf.oci.StorageException;
import dev.wharf.terraform.upload.UploadException;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code boring-registry}: boring-registry's command line on OCI storage. Failures print one line
 * saying what to fix, never a stack trace (unless {@code --debug}).
 */
public final class BoringRegistryCli {
    @Command(name = "boring-registry", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
            description = "Terraform module and provider registry on OCI storage",
            subcommands = {ServerCommand.class, UploadCommand.class, ImportCommand.class, TokenCommand.class, VersionCommand.class})
    static final class Root {
    }

    private final Map<String, String> env;

    BoringRegistryCli() {
        this(System.getenv());
    }

    BoringRegistryCli(Map<String, String> env) {
        this.env = env;
    }

    int run(String[] args) {
        return commandLine(new PrintWriter(System.out, true), new PrintWriter(System.err, true)).execute(args);
    }

    CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new Root());
        cli.setDefaultValueProvider(new EnvironmentDefaults(env));
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            boolean debug = parseResult.subcommands().stream().anyMatch(p -> p.hasMatchedOption("--debug"))
                    || parseResult.hasMatchedOption("--debug");
            if (e instanceof UploadException || e instanceof IllegalArgumentException || e instanceof StorageException
                    || e instanceof dev.wharf.terraform.provider.ProviderException) {
                commandLine.getErr().println("boring-registry: " + e.getMessage());
            } else {
                commandLine.getErr().println("boring-registry: unexpected failure: " + e);
            }
            if (debug) {
                e.printStackTrace(commandLine.getErr());
            }
            return 1;
        });
        return cli;
    }
}
