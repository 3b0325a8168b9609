package dev.wharf.epr.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Query versions with a number past a Java int, which EPR reads as Masterminds does (major, minor
 * and patch unsigned 64-bit) and filters with: the packages each answer lists are those EPR's
 * {@code NewConstraint(…).Check} keeps for the test packages' conditions (acme_logs
 * {@code ^8.10.0 || ^9.0.0}, sensor_input {@code ^8.12.0} for Kibana and the agent, legacy_stack
 * {@code ^7.14.0}, gallery none) and format versions (3.0, 3.1, 1.0, 2.10), as checked with
 * Masterminds' source.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QueryVersionsPastAnIntTest {
    private FolderPackagesServer epr;
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    void start() throws Exception {
        epr = FolderPackagesServer.start("epr-uint64-");
    }

    @AfterAll
    void stop() throws IOException {
        epr.close();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
        "/search?kibana.version=8.4294967296.0;acme_logs,gallery,sensor_input",
        "/search?kibana.version=9.18446744073709551615;acme_logs,gallery",
        "/search?kibana.version=18446744073709551615;gallery",
        "/search?agent.version=8.4294967296.0;acme_logs,gallery,legacy_stack,sensor_input",
        "/search?agent.version=4294967296;acme_logs,gallery,legacy_stack",
        "/search?spec.min=2.4294967296;acme_logs,sensor_input",
        "/search?spec.max=3.4294967296;acme_logs,gallery,legacy_stack,sensor_input",
        "/search?spec.min=4294967296.0;''",
        "/search?spec.min=1.0&spec.max=18446744073709551615.18446744073709551615;acme_logs,gallery,legacy_stack,sensor_input",
    })
    void searchTakesThemAndFiltersAsEprDoes(String path, String names) throws Exception {
        HttpResponse<String> r = get(path);
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        List<String> listed = new ArrayList<>();
        json.readTree(r.body()).forEach(p -> listed.add(p.get("name").asText()));
        assertThat(String.join(",", listed)).as(path).isEqualTo(names);
    }

    /** The same packages as for 8.12 (no condition tells the two apart), so the same counts. */
    @Test
    void categoriesCountsThePackagesSuchAVersionKeeps() throws Exception {
        HttpResponse<String> big = get("/categories?kibana.version=8.4294967296.0");
        HttpResponse<String> small = get("/categories?kibana.version=8.12");
        assertThat(big.statusCode()).as(big.body()).isEqualTo(200);
        JsonNode counts = json.readTree(big.body());
        assertThat(counts).isEqualTo(json.readTree(small.body()));
        assertThat(counts.size()).isPositive();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(epr.uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
