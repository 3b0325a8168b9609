package dev.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.cli.epr.PackageRegistryCommandLine;
import dev.wharf.http.access.Scope;
import dev.wharf.http.access.TokensFile;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code token create} on both programs: the token alone on the first line (a script takes it
 * with {@code head -1}), then an entry whose hash is the token's SHA-256 and which a tokens file
 * accepts for that token, with the scopes asked for.
 */
class TokenCreateCommandTest {
    @TempDir
    Path dir;

    @Test
    void boringRegistryPrintsTheTokenAloneThenAnEntryThatHashesToItAndIsAccepted() throws Exception {
        CommandLine cli = new BoringRegistryCli(Map.of()).commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        String printed = run(cli, "token", "create", "--name", "ci-acme", "--scope", "publish:acme/*", "--scope", "read");
        checkPrinted(printed, "ci-acme", List.of(Scope.parse("publish:acme/*"), Scope.read()));
    }

    @Test
    void packageRegistryPrintsTheTokenAloneThenAnEntryThatHashesToItAndIsAccepted() throws Exception {
        CommandLine cli = PackageRegistryCommandLine.create(Map.of());
        String printed = run(cli, "token", "create", "-name", "ci-packages", "-scope", "publish:acme_*,admin");
        checkPrinted(printed, "ci-packages", List.of(Scope.parse("publish:acme_*"), Scope.parse("admin")));
    }

    @Test
    void anExpiryAlreadyPassedIsRefusedAndAFutureOneIsWrittenIntoTheEntry() {
        StringWriter err = new StringWriter();
        CommandLine boring = new BoringRegistryCli(Map.of()).commandLine(new PrintWriter(new StringWriter()), new PrintWriter(err, true));
        StringWriter out = new StringWriter();
        boring.setOut(new PrintWriter(out, true));
        assertThat(boring.execute("token", "create", "--name", "ci", "--scope", "read", "--expires", "2020-01-31T00:00:00Z")).isNotZero();
        assertThat(err.toString()).contains("expiry 2020-01-31T00:00:00Z has already passed (it is now ")
                .contains("the token would be refused from the start");
        assertThat(out.toString()).as("no token is printed").isEmpty();

        CommandLine epr = PackageRegistryCommandLine.create(Map.of());
        StringWriter eprErr = new StringWriter();
        epr.setOut(new PrintWriter(new StringWriter(), true)).setErr(new PrintWriter(eprErr, true));
        assertThat(epr.execute("token", "create", "-name", "ci", "-scope", "read", "-expires", "2020-01-31T00:00:00Z")).isNotZero();
        assertThat(eprErr.toString()).contains("expiry 2020-01-31T00:00:00Z has already passed");

        String future = java.time.Instant.now().plus(java.time.Duration.ofDays(30)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        String printed = run(new BoringRegistryCli(Map.of()).commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter())),
                "token", "create", "--name", "ci", "--scope", "read", "--expires", future);
        assertThat(printed).contains("expires: " + future);
    }

    private void checkPrinted(String printed, String name, List<Scope> scopes) throws Exception {
        List<String> lines = printed.lines().toList();
        String token = lines.get(0);
        assertThat(token).matches("wharf_[A-Za-z0-9_-]{43}");
        String entry = String.join("\n", lines.subList(1, lines.size())) + "\n";
        assertThat(entry).doesNotContain(token);
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        assertThat(entry).contains("sha256:" + sha256).contains(name);

        Path file = Files.writeString(dir.resolve(name + ".yaml"), "tokens:\n" + entry);
        TokensFile tokens = new TokensFile(file, Clock.systemUTC());
        TokensFile.Check check = tokens.check(token);
        assertThat(check).isInstanceOf(TokensFile.Valid.class);
        TokensFile.Valid valid = (TokensFile.Valid) check;
        assertThat(valid.caller().name()).isEqualTo(name);
        assertThat(valid.caller().scopes()).containsExactlyInAnyOrderElementsOf(scopes);
        // A token one character off is not accepted by the same entry.
        String other = token.substring(0, token.length() - 1) + (token.endsWith("A") ? "B" : "A");
        assertThat(tokens.check(other)).isInstanceOf(TokensFile.Unknown.class);
    }

    private static String run(CommandLine cli, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        assertThat(code).as(err.toString()).isZero();
        return out.toString();
    }
}
