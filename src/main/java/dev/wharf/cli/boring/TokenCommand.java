package dev.wharf.cli.boring;

import dev.wharf.http.access.NewToken;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code boring-registry token create}: a new scoped token for {@code --auth-tokens-file}. */
@Command(name = "token", mixinStandardHelpOptions = true, description = "Create tokens for --auth-tokens-file",
        subcommands = TokenCommand.Create.class)
public final class TokenCommand {
    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Print a new random token on the first line, then its entry (name, hash, scopes, expiry) for the tokens file")
    public static final class Create implements Callable<Integer> {
        @Spec
        @SuppressWarnings("NullAway.Init")
        CommandSpec spec;

        @SuppressWarnings("NullAway.Init")
        @Option(names = "--name", required = true, description = "Name of the token, as audit logs show it (BORING_REGISTRY_NAME)")
        String name;

        @Option(names = "--scope", required = true, split = ",", paramLabel = "SCOPE",
                description = "read, admin or publish:GLOB (namespace globs such as acme/*); repeatable (BORING_REGISTRY_SCOPE)")
        List<String> scopes = new ArrayList<>();

        @Option(names = "--expires", paramLabel = "TIME", description = "Expiry as an RFC 3339 UTC time, e.g. 2027-01-31T00:00:00Z (BORING_REGISTRY_EXPIRES)")
        @Nullable String expires;

        @Override
        public Integer call() {
            spec.commandLine().getOut().print(create(name, scopes, expires).printed());
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    /** Shared with package-registry's command, whose flags are spelled the Go way. */
    public static NewToken create(String name, List<String> scopes, @Nullable String expires) {
        Optional<Instant> expiry = Optional.empty();
        if (expires != null && !expires.isBlank()) {
            try {
                expiry = Optional.of(Instant.parse(expires.trim()));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("expiry '" + expires + "' is not an RFC 3339 UTC time such as 2027-01-31T00:00:00Z");
            }
            // A token born expired is refused by every server from its first use; a typo in the
            // year is likelier than a wish for that, and nothing would say so until a 401.
            Instant now = Instant.now();
            if (!expiry.get().isAfter(now)) {
                throw new IllegalArgumentException("expiry " + expiry.get() + " has already passed (it is now "
                        + now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + "): the token would be refused from the start");
            }
        }
        return NewToken.create(name, scopes, expiry);
    }
}
