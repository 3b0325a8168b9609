package dev.wharf.terraform.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * How the API answers as an HTTP server, whatever the protocol asked: errors in the protocol's form
 * with the right status (Jetty's own refusals too), a path that is not clean sent to its clean form,
 * HEAD answered as GET without the body, other methods refused with Allow.
 */
abstract class TerraformHttpScenarios extends TerraformApiScenarios {
    @Test
    void errorsComeInTheProtocolsFormWithTheRightStatus() throws Exception {
        uploadModule("1.0.0");
        assertError(get("/v1/modules/acme/nothing/aws/versions"), 404, "module acme/nothing/aws not found");
        assertError(get("/v1/modules/acme/vpc/aws/9.9.9/download"), 404, "module acme/vpc/aws has no version 9.9.9");
        assertError(get("/v1/modules/acme/vpc/aws/not-a-version/download"), 400, "not a semantic version");
        assertError(get("/v1/modules/-acme/vpc/aws/versions"), 400, "namespace '-acme' is malformed");
        assertError(get("/v1/providers/acme/nothing/versions"), 404, "provider acme/nothing not found");
        assertError(get("/v1/nowhere"), 404, "no such endpoint");
        // Refused by Jetty before any route, in the same form.
        assertError(get("/v1/modules/%ff/vpc/aws/versions"), 400, "400 Bad Request: Bad UTF-8 encoding");
        assertError(http.send(HttpRequest.newBuilder(uri("/v1/modules/acme/vpc/aws/versions")).header("X-Big", "a".repeat(20_000)).build(),
                HttpResponse.BodyHandlers.ofString()), 431, "431 Request Header Fields Too Large");
    }

    /** As boring-registry's http.ServeMux does: a path with an empty, '.' or '..' segment is sent to its clean form. */
    @Test
    void aPathThatIsNotCleanIsSentToItsCleanForm() throws Exception {
        uploadModule("1.0.0");
        Map<String, String> moved = new LinkedHashMap<>();
        moved.put("//v1/modules/acme/vpc/aws/versions", "/v1/modules/acme/vpc/aws/versions");
        moved.put("//.well-known/terraform.json?x=1&y=2", "/.well-known/terraform.json?x=1&y=2");
        moved.put("/v1/modules/acme/vpc/aws/./1.0.0/../1.0.0/download", "/v1/modules/acme/vpc/aws/1.0.0/download");
        HttpClient following = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
        for (Map.Entry<String, String> m : moved.entrySet()) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(asWritten(m.getKey())).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(m.getKey()).isEqualTo(301);
            assertThat(r.headers().allValues("Location")).as(m.getKey()).containsExactly(m.getValue());
            assertThat(r.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
            assertThat(r.body()).isEqualTo("<a href=\"" + m.getValue().replace("&", "&amp;") + "\">Moved Permanently</a>.\n\n");
            HttpResponse<String> followed = following.send(HttpRequest.newBuilder(asWritten(m.getKey())).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(followed.statusCode()).as(m.getKey()).isIn(200, 204);
        }
        // A PUT is not sent on: a client following a 301 would ask with GET.
        HttpResponse<String> put = http.send(HttpRequest.newBuilder(asWritten("//v1/modules/acme/vpc/aws/versions"))
                .PUT(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).isEqualTo(404);
        assertThat(put.headers().firstValue("Location")).isEmpty();
    }

    /** {@code path} exactly as written: resolving "//v1/…" against the server would read "v1" as a host. */
    private URI asWritten(String path) {
        return URI.create(server.localUri().toString().replaceAll("/$", "") + path);
    }

    @Test
    void headSaysWhatGetWouldWithoutTheBodyAndOtherMethodsAreRefusedWithAllow() throws Exception {
        uploadModule("1.0.0");
        // Each asked twice: the second GET is a ready answer, HEAD always goes through the router.
        for (String path : List.of("/.well-known/terraform.json", "/v1/modules/acme/vpc/aws/versions", "/v1/modules/acme/vpc/aws/versions",
                "/v1/modules/acme/vpc/aws/1.0.0/download", "/v1/modules/acme/vpc/aws/9.9.9/download", "/v1/modules/acme/nothing/aws/versions",
                "/v1/modules/-acme/vpc/aws/versions", "/v1/providers/acme/nothing/versions")) {
            HttpResponse<String> get = get(path);
            HttpResponse<String> head = http.send(HttpRequest.newBuilder(uri(path)).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(head.statusCode()).as(path).isEqualTo(get.statusCode());
            assertThat(head.body()).as(path).isEmpty();
            assertThat(head.headers().firstValue("Content-Type")).as(path).isEqualTo(get.headers().firstValue("Content-Type"));
            assertThat(head.headers().firstValueAsLong("Content-Length")).as(path)
                    .isEqualTo(get.statusCode() == 204 ? OptionalLong.empty() : OptionalLong.of(get.body().length()));
            assertThat(head.headers().firstValue("X-Terraform-Get").isPresent()).as(path).isEqualTo(get.headers().firstValue("X-Terraform-Get").isPresent());
        }
        for (String method : List.of("POST", "PUT", "DELETE")) {
            HttpResponse<String> refused = http.send(HttpRequest.newBuilder(uri("/v1/modules/acme/vpc/aws/versions"))
                    .method(method, HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
            assertError(refused, 405, method + " is not allowed on /v1/modules/acme/vpc/aws/versions; allowed: GET, HEAD");
            assertThat(refused.headers().firstValue("Allow")).hasValue("GET, HEAD");
        }
        assertError(http.send(HttpRequest.newBuilder(uri("/v1/nowhere")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString()), 404, "no such endpoint");
    }
}
