package dev.wharf;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The rules of the layering that keep it free of cycles, read from the main sources: storage knows no
 * protocol and no server; the two protocols never see each other; the server's shell (routing, TLS,
 * access, the UI's page helpers) serves both protocols and so knows neither; only the launchers wire.
 * Any mention counts (an import, a static import, a fully qualified name in code or in a comment's
 * link), since each ties one package to the other as much as an import does.
 */
class LayeringTest {
    private static final Path MAIN = Path.of("src/main/java/dev/wharf");
    private static final Pattern MENTION = Pattern.compile("\\bdev\\.wharf\\.(oci|http|terraform|epr|cli)\\b");

    /** What each top-level package may not mention. */
    private static final Map<String, Set<String>> FORBIDDEN = Map.of(
            "oci", Set.of("http", "terraform", "epr", "cli"),
            "http", Set.of("terraform", "epr", "cli"),
            "terraform", Set.of("epr", "cli"),
            "epr", Set.of("terraform", "cli"));

    static Stream<String> layers() {
        return FORBIDDEN.keySet().stream().sorted();
    }

    @ParameterizedTest
    @MethodSource("layers")
    void aLayerMentionsNoneOfThePackagesItMayNotSee(String layer) throws IOException {
        List<String> breaches = new ArrayList<>();
        List<Path> sources;
        try (Stream<Path> files = Files.walk(MAIN.resolve(layer))) {
            sources = files.filter(f -> f.toString().endsWith(".java")).toList();
        }
        assertThat(sources).as("sources of " + layer).isNotEmpty();
        for (Path source : sources) {
            Matcher m = MENTION.matcher(read(source));
            while (m.find()) {
                if (FORBIDDEN.get(layer).contains(m.group(1))) {
                    breaches.add(MAIN.relativize(source) + " mentions dev.wharf." + m.group(1));
                }
            }
        }
        assertThat(breaches).as("%s must not see %s", layer, FORBIDDEN.get(layer)).isEmpty();
    }

    private static String read(Path source) {
        try {
            return Files.readString(source);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
