package dev.wharf.cli.boring;

import dev.wharf.http.CredentialThrottle;
import dev.wharf.http.access.FailedCredentials;
import dev.wharf.terraform.ui.RegistryUi;
import java.time.Clock;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** {@code server}'s limit on failed credential checks per client address. */
public final class ThrottleOptions {
    /** Routes anyone may use, credential or not: Terraform's discovery. Every other route of the registry address checks credentials. */
    private static final Set<String> OPEN = Set.of("/.well-known/terraform.json");

    @Option(names = "--auth-max-failures", paramLabel = "N", defaultValue = "" + FailedCredentials.DEFAULT_PER_MINUTE,
            description = "Failed credential checks (API tokens, UI sign-in) one client address may make in a minute; past it, its"
                    + " requests with credentials get 429 with Retry-After until the minute is over, unchecked; 0 turns this off"
                    + " (BORING_REGISTRY_AUTH_MAX_FAILURES; default ${DEFAULT-VALUE})")
    int maxFailures = FailedCredentials.DEFAULT_PER_MINUTE;

    FailedCredentials failures(Clock clock, CommandLine commandLine) {
        if (maxFailures < 0) {
            throw new CommandLine.ParameterException(commandLine, "--auth-max-failures must be 0 (off) or more, not " + maxFailures);
        }
        return new FailedCredentials(maxFailures, clock);
    }

    static CredentialThrottle.Guarded guarded() {
        return new CredentialThrottle.Guarded(path -> !OPEN.contains(path), RegistryUi.SESSION_COOKIE, RegistryUi.SIGN_IN);
    }
}
