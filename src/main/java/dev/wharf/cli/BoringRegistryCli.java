package dev.wharf.cli;

import dev.wharf.cli.boring.EnvironmentDefaults;
import dev.wharf.cli.boring.ImportCommand;
import dev.wharf.cli.boring.ServerCommand;
import dev.wharf.cli.boring.UploadCommand;
import dev.wharf.cli.boring.TokenCommand;
import dev.wharf.cli.boring.VersionCommand;
import dev.wharf.oci.IoFailures;
import dev.wharf.oci.StorageException;
import dev.wharf.terraform.mirror.PackageException;
import dev.wharf.terraform.provider.ProviderException;
import dev.wharf.terraform.upload.UploadException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code boring-registry}: boring-registry's command line on OCI storage. Failures print one line
 * saying what to fix, never a stack trace (unless {@code --debug}).
 */
public final class BoringRegistryCli {
    @Command(name = "boring-registry", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
            description = "Terraform module and provider registry on OCI storage")
    static final class Root {
    }

    /**
     * The subcommands in the order help lists them. A run names one first: only that one is given to
     * picocli, which reads every option of every command it is given (the others cost a server's start
     * about 70 ms of CPU, issue 19). Anything else (help, a typo, an option first) gets them all.
     */
    private static final Map<String, Supplier<Object>> SUBCOMMANDS = subcommands();

    private static Map<String, Supplier<Object>> subcommands() {
        Map<String, Supplier<Object>> all = new LinkedHashMap<>();
        all.put("server", ServerCommand::new);
        all.put("upload", UploadCommand::new);
        all.put("import", ImportCommand::new);
        all.put("token", TokenCommand::new);
        all.put("version", VersionCommand::new);
        return Collections.unmodifiableMap(all);
    }

    private final Map<String, String> env;

    BoringRegistryCli() {
        this(System.getenv());
    }

    BoringRegistryCli(Map<String, String> env) {
        this.env = env;
    }

    int run(String[] args) {
        return commandLine(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args).execute(args);
    }

    /** The command line that runs {@code args}: with the subcommand they name alone, else with every one. */
    CommandLine commandLine(PrintWriter out, PrintWriter err, String[] args) {
        Supplier<Object> named = args.length > 0 ? SUBCOMMANDS.get(args[0]) : null;
        return commandLine(out, err, named == null ? SUBCOMMANDS.values() : List.of(named));
    }

    /** The whole command line, every subcommand included. */
    CommandLine commandLine(PrintWriter out, PrintWriter err) {
        return commandLine(out, err, SUBCOMMANDS.values());
    }

    private CommandLine commandLine(PrintWriter out, PrintWriter err, Collection<Supplier<Object>> subcommands) {
        CommandLine cli = new CommandLine(new Root());
        // Before the settings below: picocli gives them only to the subcommands already added.
        subcommands.forEach(s -> cli.addSubcommand(s.get()));
        GoFlags.apply(cli);
        cli.setDefaultValueProvider(new EnvironmentDefaults(env));
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            boolean debug = parseResult.subcommands().stream().anyMatch(p -> p.hasMatchedOption("--debug"))
                    || parseResult.hasMatchedOption("--debug");
            if (e instanceof UploadException || e instanceof IllegalArgumentException || e instanceof StorageException
                    || e instanceof ProviderException || e instanceof PackageException) {
                commandLine.getErr().println("boring-registry: " + e.getMessage());
            } else if (e instanceof UncheckedIOException io) {
                // A file or folder the command reads failed on the way: what and why, in one line.
                IOException cause = Objects.requireNonNull(io.getCause());  // never null: its constructors need one
                String why = IoFailures.describe(cause);
                boolean ownWords = io.getMessage() != null && !io.getMessage().equals(cause.toString());
                commandLine.getErr().println("boring-registry: " + (ownWords ? io.getMessage() + ": " + why : why));
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
