package dev.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.wharf.cli.epr.PackageRegistryCommandLine;
import dev.wharf.epr.TestPackages;
import dev.wharf.testing.TestPorts;
import dev.wharf.testing.WharfProcess;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * docs/deploy.md and the files under docs/deploy/ are copied by operators as they are: every Wharf
 * flag they pass must exist in that command, every variable must name a flag, every container port
 * must be one the image exposes and a program listens on, and every route they probe or fetch
 * must answer on the real programs.
 */
class DeployDocsTest {
    private static final Pattern PROGRAM = Pattern.compile("(?<![\\w./-])(?<!--name )(boring-registry|package-registry)\\s+(.*)");
    private static final Pattern VARIABLE = Pattern.compile("\\b(BORING_REGISTRY|EPR)_([A-Z0-9_]+)\\b");
    private static final Pattern PUBLISHED = Pattern.compile("(?:\\s-p|--publish)[ =](?:[\\d.]+:)?\\d+:(\\d+)");
    private static final Pattern LOCAL_URL = Pattern.compile("https?://(?:localhost|127\\.0\\.0\\.1):(\\d+)(/[^\\s`\"')]*)");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @TempDir
    Path dir;

    private final CommandLine boring = new BoringRegistryCli(Map.of()).commandLine(new PrintWriter(new StringWriter()),
            new PrintWriter(new StringWriter()));
    private final CommandLine epr = PackageRegistryCommandLine.create(Map.of());

    /** A port a documented container listens on, and the route probed there (or null). */
    record Probe(String program, int port, String path) {
    }

    @Test
    void theDeployFilesExist() throws IOException {
        assertThat(files()).extracting(p -> p.getFileName().toString())
                .contains("deploy.md", "boring-registry.yaml", "package-registry.yaml", "boring-registry.service", "package-registry.service");
    }

    @Test
    void everyWharfFlagTheyPassExistsInItsCommand() throws IOException {
        List<String> unknown = new ArrayList<>();
        int checked = 0;
        for (Path file : files()) {
            List<List<String>> commands = new ArrayList<>();
            for (String line : read(file).split("\n")) {
                Matcher m = PROGRAM.matcher(line);
                if (m.find()) {
                    List<String> words = new ArrayList<>(List.of(m.group(1)));
                    words.addAll(Arrays.asList(m.group(2).trim().split("\\s+")));
                    commands.add(words);
                }
            }
            if (file.toString().endsWith(".yaml")) {
                for (JsonNode container : containers(file)) {
                    List<String> args = new ArrayList<>();
                    container.path("args").forEach(a -> args.add(a.asText()));
                    commands.add(args);
                }
            }
            for (List<String> command : commands) {
                checked += checkFlags(file, command, unknown);
            }
        }
        assertThat(checked).as("flags found in the deploy docs").isGreaterThan(20);
        assertThat(unknown).as("flags the deploy docs pass that the command does not have").isEmpty();
    }

    @Test
    void everyVariableTheyNameIsAFlagsVariable() throws IOException {
        Set<String> unknown = new TreeSet<>();
        int checked = 0;
        for (Path file : files()) {
            Matcher m = VARIABLE.matcher(read(file));
            while (m.find()) {
                checked++;
                String name = m.group(2).toLowerCase(Locale.ROOT).replace('_', '-');
                boolean known = m.group(1).equals("EPR") ? hasOption(epr, "-" + name) : hasOption(boring, "--" + name);
                if (!known) {
                    unknown.add(file.getFileName() + ": " + m.group());
                }
            }
        }
        assertThat(checked).isGreaterThan(5);
        assertThat(unknown).as("variables that set no flag").isEmpty();
    }

    @Test
    void everyContainerPortIsOneTheImageExposesAndAProgramListensOn() throws IOException {
        String pom = Files.readString(Path.of("pom.xml"));
        Set<Integer> exposed = new TreeSet<>();
        Matcher port = Pattern.compile("<port>(\\d+)</port>").matcher(pom);
        while (port.find()) {
            exposed.add(Integer.parseInt(port.group(1)));
        }
        Matcher eprAddress = Pattern.compile("<EPR_ADDRESS>[^<]*:(\\d+)</EPR_ADDRESS>").matcher(pom);
        assertThat(eprAddress.find()).as("the image sets EPR_ADDRESS").isTrue();
        CommandLine server = boring.getSubcommands().get("server");
        Set<Integer> listened = new TreeSet<>(List.of(portOf(server.getCommandSpec().findOption("--listen-address").defaultValue()),
                portOf(server.getCommandSpec().findOption("--listen-telemetry-address").defaultValue()),
                Integer.parseInt(eprAddress.group(1))));
        assertThat(exposed).as("the image's ports are the programs' default ports").isEqualTo(listened);

        Set<Integer> documented = new TreeSet<>();
        for (Path file : files()) {
            Matcher published = PUBLISHED.matcher(read(file));
            while (published.find()) {
                documented.add(Integer.parseInt(published.group(1)));
            }
            if (file.toString().endsWith(".yaml")) {
                for (JsonNode container : containers(file)) {
                    container.path("ports").forEach(p -> documented.add(p.path("containerPort").asInt()));
                }
            }
        }
        assertThat(documented).isNotEmpty();
        assertThat(exposed).as("ports of containers in the deploy docs").containsAll(documented);
    }

    @Test
    void everyRouteTheyProbeOrFetchAnswersOnTheRealPrograms() throws Exception {
        List<Probe> probes = new ArrayList<>();
        for (Path file : files()) {
            if (file.toString().endsWith(".yaml")) {
                for (JsonNode container : containers(file)) {
                    Map<String, Integer> named = new LinkedHashMap<>();
                    container.path("ports").forEach(p -> named.put(p.path("name").asText(), p.path("containerPort").asInt()));
                    for (String kind : List.of("readinessProbe", "livenessProbe", "startupProbe")) {
                        JsonNode probe = container.path(kind);
                        JsonNode get = probe.has("httpGet") ? probe.path("httpGet") : probe.path("tcpSocket");
                        if (get.isMissingNode()) {
                            continue;
                        }
                        JsonNode p = get.path("port");
                        int number = p.isInt() ? p.asInt() : named.getOrDefault(p.asText(), -1);
                        probes.add(new Probe(container.path("args").path(0).asText(), number, get.path("path").asText(null)));
                    }
                }
            }
            Matcher url = LOCAL_URL.matcher(read(file));
            while (url.find()) {
                probes.add(new Probe(null, Integer.parseInt(url.group(1)), url.group(2)));
            }
        }
        assertThat(probes).extracting(Probe::path).contains("/health", "/search");

        // The documented ports, as the live programs listen on them here: boring-registry's 5601 and
        // 7801, package-registry's 8080 and its -metrics-address 7801 in the examples.
        Map<String, Map<Integer, Integer>> live = Map.of(
                "boring-registry", Map.of(5601, TestPorts.free(), 7801, TestPorts.free()),
                "package-registry", Map.of(8080, TestPorts.free(), 7801, TestPorts.free()));
        Map<String, Integer> b = Map.of("main", live.get("boring-registry").get(5601), "telemetry", live.get("boring-registry").get(7801));
        Map<String, Integer> e = Map.of("main", live.get("package-registry").get(8080), "metrics", live.get("package-registry").get(7801));
        TestPackages.copyTree(TestPackages.source().resolve("gallery"), dir.resolve("epr/packages/gallery"));
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        try (WharfProcess boringServer = WharfProcess.start(dir.resolve("boring"), Map.of(), List.of("boring-registry", "server",
                "--listen-address", "127.0.0.1:" + b.get("main"), "--listen-telemetry-address", "127.0.0.1:" + b.get("telemetry")));
             WharfProcess eprServer = WharfProcess.start(dir.resolve("epr"), Map.of(), List.of("package-registry",
                     "-address", "127.0.0.1:" + e.get("main"), "-metrics-address", "127.0.0.1:" + e.get("metrics"),
                     "-require-package-signatures=false"))) {
            boringServer.awaitHttp(URI.create("http://127.0.0.1:" + b.get("telemetry") + "/health"), Duration.ofSeconds(60));
            eprServer.awaitReady(URI.create("http://127.0.0.1:" + e.get("main") + "/health"), Duration.ofSeconds(60));
            List<String> missing = new ArrayList<>();
            for (Probe probe : probes) {
                List<Integer> ports = new ArrayList<>();
                live.forEach((program, map) -> {
                    if ((probe.program() == null || program.equals(probe.program())) && map.containsKey(probe.port())) {
                        ports.add(map.get(probe.port()));
                    }
                });
                if (ports.isEmpty()) {
                    missing.add(probe + ": no program listens on that port");
                    continue;
                }
                if (probe.path() == null) {
                    continue;
                }
                boolean answered = false;
                for (int port : ports) {
                    HttpResponse<Void> answer = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + probe.path()))
                            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
                    answered |= answer.statusCode() != 404;
                }
                if (!answered) {
                    missing.add(probe + ": 404");
                }
            }
            assertThat(missing).as("routes the deploy docs use").isEmpty();
        }
    }

    /** Checks the flags of one command line; returns how many it checked. */
    private int checkFlags(Path file, List<String> words, List<String> unknown) {
        CommandLine command = words.get(0).equals("boring-registry") ? boring : epr;
        int i = 1;
        while (i < words.size() && command.getSubcommands().containsKey(words.get(i))) {
            command = command.getSubcommands().get(words.get(i++));
        }
        if (command == boring) {
            return 0; // not a command line (journalctl -u boring-registry, a title)
        }
        int checked = 0;
        for (; i < words.size(); i++) {
            String word = words.get(i).replaceAll("[`\"']", "");
            if (word.equals("|") || word.equals("&&") || word.equals(";") || word.equals("#")) {
                break;
            }
            if (word.startsWith("-") && word.length() > 1 && !word.equals("\\")) {
                String name = word.split("=", 2)[0];
                checked++;
                if (!command.getCommandSpec().optionsMap().containsKey(name)) {
                    unknown.add(file.getFileName() + ": " + command.getCommandSpec().qualifiedName() + " " + name);
                }
            }
        }
        return checked;
    }

    private static boolean hasOption(CommandLine root, String name) {
        if (root.getCommandSpec().optionsMap().containsKey(name)) {
            return true;
        }
        return root.getSubcommands().values().stream().anyMatch(sub -> hasOption(sub, name));
    }

    private static int portOf(String address) {
        return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    }

    private static List<JsonNode> containers(Path yaml) throws IOException {
        List<JsonNode> result = new ArrayList<>();
        try (var documents = YAML.readerFor(JsonNode.class).<JsonNode>readValues(Files.readString(yaml))) {
            while (documents.hasNext()) {
                documents.next().path("spec").path("template").path("spec").path("containers").forEach(result::add);
            }
        }
        return result;
    }

    /** The file with line continuations joined, as a shell and systemd read them. */
    private static String read(Path file) throws IOException {
        return Files.readString(file).replace("\\\n", " ");
    }

    private static List<Path> files() throws IOException {
        Set<Path> files = new LinkedHashSet<>(List.of(Path.of("docs/deploy.md")));
        try (Stream<Path> deploy = Files.list(Path.of("docs/deploy"))) {
            deploy.sorted().forEach(files::add);
        }
        return List.copyOf(files);
    }
}
