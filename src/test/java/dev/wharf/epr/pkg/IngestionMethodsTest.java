package dev.wharf.epr.pkg;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.epr.model.PackageDocument;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code ingestion_method} derived from input types the way EPR 1.40 derives it. */
class IngestionMethodsTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({
        "logfile, File", "filestream, File", "httpjson, API", "cel, API", "sql/metrics, Database",
        "tcp, Network Protocol", "udp, Network Protocol", "prometheus/metrics, Prometheus", "http_endpoint, Webhook",
        "kafka/metrics, Jolokia", "gcp-pubsub, GCP Pub/Sub", "journald, journald"})
    void knowsEprsTable(String input, String method) {
        assertThat(IngestionMethods.elastic().methodOf(input)).hasValue(method);
    }

    @Test
    void knowsNothingOfOtherInputs() {
        assertThat(IngestionMethods.elastic().methodOf("sensor/metrics")).isEmpty();
        assertThat(IngestionMethods.elastic().methodOf("")).isEmpty();
    }

    @Test
    void streamsGetTheirInputsMethodOverTheManifestsAndKeepTheManifestsOtherwise() throws Exception {
        Path pkg = integration("""
                streams:
                  - input: httpjson
                    title: From the API
                    ingestion_method: Something else
                  - input: custom/metrics
                    title: Custom
                    ingestion_method: Carrier pigeon
                  - input: custom/logs
                    title: Plain
                """);
        PackageDocument p = read(pkg);
        assertThat(p.dataStreams.get(0).streams).extracting(s -> s.ingestionMethod)
                .containsExactly("API", "Carrier pigeon", null);
    }

    @Test
    void inputPackageTemplatesTakeTheTablesAnswerOnly() throws Exception {
        PackageDocument p = read(inputPackage("udp", "Anything"));
        assertThat(p.policyTemplates.get(0).ingestionMethod).isEqualTo("Network Protocol");
        PackageDocument unknown = read(inputPackage("sensor/metrics", "Anything"));
        assertThat(unknown.policyTemplates.get(0).ingestionMethod).isNull();
    }

    @Test
    void integrationTemplatesKeepTheirManifestsValue() throws Exception {
        Path pkg = integration("""
                streams:
                  - input: logfile
                    title: Logs
                """);
        Files.writeString(pkg.resolve("manifest.yml"), Files.readString(pkg.resolve("manifest.yml")) + """
                policy_templates:
                  - name: main
                    title: Main
                    description: Main
                    ingestion_method: Hand-written
                    inputs:
                      - type: logfile
                        title: Logs
                        description: Logs
                """);
        assertThat(read(pkg).policyTemplates.get(0).ingestionMethod).isEqualTo("Hand-written");
    }

    private PackageDocument read(Path pkg) throws Exception {
        try (DirectoryPackageFiles files = new DirectoryPackageFiles(pkg)) {
            return new PackageReader(true, w -> { }).read(files, false);
        }
    }

    private Path integration(String streams) throws IOException {
        Path pkg = dir.resolve("demo");
        write(pkg.resolve("manifest.yml"), """
                format_version: 3.1.0
                name: demo
                title: Demo
                version: 1.0.0
                description: Demo package.
                type: integration
                """);
        write(pkg.resolve("docs/README.md"), "# Demo\n");
        write(pkg.resolve("data_stream/events/manifest.yml"), "type: logs\ntitle: Events\n" + streams);
        return pkg;
    }

    private Path inputPackage(String input, String manifestMethod) throws IOException {
        Path pkg = dir.resolve("in-" + input.replace('/', '_'));
        write(pkg.resolve("manifest.yml"), """
                format_version: 3.1.0
                name: demo_input
                title: Demo input
                version: 1.0.0
                description: Demo input package.
                type: input
                policy_templates:
                  - name: main
                    type: logs
                    title: Main
                    description: Main
                    input: %s
                    ingestion_method: %s
                """.formatted(input, manifestMethod));
        write(pkg.resolve("docs/README.md"), "# Demo\n");
        return pkg;
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }
}
