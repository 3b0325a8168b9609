package dev.wharf.cli.epr;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code package-registry token create}: a new scoped token for {@code -auth-tokens-file}. */
@Command(name = "token", description = "Create tokens for -auth-tokens-file", subcommands = TokenCommand.Create.class)
public final class TokenCommand {
    @Option(names = {"-h", "-help", "--help"}, usageHelp = true, description = "Show this help.")
    boolean help;

    @Command(name = "create", description = "Print a new random token on the first line, then its entry for the tokens file")
    public static final class Create implements Callable<Integer> {
        @Spec
        @SuppressWarnings("NullAway.Init")
        CommandSpec spec;

        @SuppressWarnings("NullAway.Init")
        @Option(names = {"-name", "--name"}, required = true, description = "Name of the token, as audit logs show it.")
        String name;

        @Option(names = {"-scope", "--scope"}, required = true, split = ",", description = "read, admin or publish:GLOB (package-name globs such as acme_*); repeatable.")
        List<String> scopes = new ArrayList<>();

        @Option(names = {"-expires", "--expires"}, description = "Expiry as an RFC 3339 UTC time, e.g. 2027-01-31T00:00:00Z.")
        @Nullable String expires;

        @Option(names = {"-h", "-help", "--help"}, usageHelp = true, description = "Show this help.")
        boolean help;

        @Override
        public Integer call() {
            spec.commandLine().getOut().print(dev.wharf.cli.boring.TokenCommand.create(name, scopes, expires).printed());
            spec.commandLine().getOut().flush();
            return 0;
        }
    }
}
