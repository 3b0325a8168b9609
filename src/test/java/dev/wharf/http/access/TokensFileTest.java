package dev.wharf.http.access;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import dev.wharf.testing.LogCapture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tokens file edited while requests arrive is read again once, whatever the number of requests that saw the edit. */
class TokensFileTest {
    @TempDir
    Path dir;

    @Test
    void anEditSeenByManyRequestsAtOnceIsReadOnceAndABrokenOneSaidOnce() throws Exception {
        String token = TokenHash.newToken();
        Path file = dir.resolve("tokens.yml");
        Files.writeString(file, entries(token, "reader"));
        TokensFile tokens = new TokensFile(file, Clock.systemUTC());
        try (LogCapture log = LogCapture.of(TokensFile.class.getName())) {
            Files.writeString(file, entries(token, "reader") + entries(TokenHash.newToken(), "other").replace("tokens:\n", ""));
            askAtOnce(tokens, token);
            assertThat(log.lines(Level.INFO)).filteredOn(l -> l.contains("re-read")).hasSize(1);

            Files.writeString(file, "tokens: [this is not a list of tokens\n");
            askAtOnce(tokens, token);
            assertThat(log.lines(Level.ERROR)).filteredOn(l -> l.contains("cannot be used")).hasSize(1);
        }
        assertThat(tokens.check(token)).isInstanceOf(TokensFile.Valid.class);
    }

    private static String entries(String token, String name) {
        return "tokens:\n  - name: " + name + "\n    hash: \"" + TokenHash.of(token) + "\"\n    scopes: [read]\n";
    }

    /** Sixteen requests let go together, each checking the token. */
    private static void askAtOnce(TokensFile tokens, String token) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<TokensFile.Check>> checks = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                checks.add(pool.submit(() -> {
                    go.await();
                    return tokens.check(token);
                }));
            }
            go.countDown();
            for (Future<TokensFile.Check> check : checks) {
                assertThat(check.get()).isInstanceOf(TokensFile.Valid.class);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
