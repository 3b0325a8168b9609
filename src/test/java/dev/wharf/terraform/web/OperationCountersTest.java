package dev.wharf.terraform.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.http.Exchange;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/** Repeat requests reuse the counter found for their path, and still count into the series their labels name. */
class OperationCountersTest {
    private static final String VERSIONS = "/v1/modules/{namespace}/{name}/{provider}/versions";

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final OperationCounters counters = new OperationCounters(registry);

    @Test
    void everyRepeatOfAPathIsCountedInItsSeries() {
        for (int i = 0; i < 5; i++) {
            counters.exchanged(get(VERSIONS, "/v1/modules/acme/vpc/aws/versions", 200));
        }
        counters.exchanged(get(VERSIONS, "/v1/modules/acme/db/aws/versions", 200));

        assertThat(count("acme", "vpc", "aws")).isEqualTo(5.0);
        assertThat(count("acme", "db", "aws")).isEqualTo(1.0);
    }

    @Test
    void pathsThatDecodeToTheSameLabelsShareOneSeries() {
        counters.exchanged(get(VERSIONS, "/v1/modules/acme/vpc/aws/versions", 200));
        counters.exchanged(get(VERSIONS, "/v1/modules/acme/v%70c/aws/versions", 200));
        counters.exchanged(get(VERSIONS, "/v1/modules/acme/v%70c/aws/versions", 200));

        assertThat(count("acme", "vpc", "aws")).isEqualTo(3.0);
        assertThat(registry.find("boring_registry_modules_list_versions").counters()).hasSize(1);
    }

    @Test
    void aPlusInThePathIsAPlusInTheLabels() {
        assertThat(OperationCounters.params("/v1/modules/{namespace}/{name}/{provider}/{version}/download",
                "/v1/modules/acme/vpc/aws/1.0.0+build.7/download")).containsEntry("version", "1.0.0+build.7");
        assertThat(OperationCounters.params("/v1/modules/{namespace}/{name}/{provider}/{version}/download",
                "/v1/modules/acme/vpc/aws/1.0.0%2Bbuild.7/download")).containsEntry("version", "1.0.0+build.7");
    }

    @Test
    void refusedRequestsAreNotCountedEvenAfterTheirPathWas() {
        counters.exchanged(get(VERSIONS, "/v1/modules/acme/vpc/aws/versions", 200));
        counters.exchanged(get(VERSIONS, "/v1/modules/acme/vpc/aws/versions", 401));
        counters.exchanged(get(VERSIONS, "/v1/modules/acme/vpc/aws/versions", 403));

        assertThat(count("acme", "vpc", "aws")).isEqualTo(1.0);
    }

    @Test
    void madeUpNamesAreBoundedAndCannotCrowdOutTheNamesTheRegistryHolds() {
        String longName = "x".repeat(6000);
        for (int i = 0; i < 100; i++) {
            counters.exchanged(get(VERSIONS, "/v1/modules/" + i + longName + "/b/c/versions", 404));
            counters.exchanged(get(VERSIONS, "/v1/modules/" + i + "-invalid/b/c/versions", 400));
        }
        assertThat(registry.find("boring_registry_modules_list_versions").counters())
                .as("refused (400) and overlong unfound names make no series").isEmpty();

        for (int i = 0; i < OperationCounters.MAX_SERIES + 10; i++) {
            counters.exchanged(get(VERSIONS, "/v1/modules/made" + i + "/b/c/versions", 404));
        }
        assertThat(registry.find("boring_registry_modules_list_versions").counters()).hasSize(OperationCounters.MAX_SERIES);
        assertThat(count("made0", "b", "c")).as("unfound names are counted, as boring-registry counts them").isEqualTo(1.0);

        counters.exchanged(get(VERSIONS, "/v1/modules/acme/vpc/aws/versions", 200));
        counters.exchanged(get(VERSIONS, "/v1/modules/acme/vpc/aws/versions", 304));
        assertThat(count("acme", "vpc", "aws")).as("a name the registry holds, past the bound").isEqualTo(2.0);
    }

    private double count(String namespace, String name, String provider) {
        return registry.get("boring_registry_modules_list_versions")
                .tags("namespace", namespace, "name", name, "provider", provider).counter().count();
    }

    private static Exchange get(String route, String path, int status) {
        return new Exchange(route, "GET", path, null, "HTTP/1.1", status, 0, 100, 1_000_000, "127.0.0.1", "test");
    }
}
