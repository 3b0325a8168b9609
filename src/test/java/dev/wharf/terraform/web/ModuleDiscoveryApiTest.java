package dev.wharf.terraform.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.http.ListenAddress;
import dev.wharf.http.WebServer;
import dev.wharf.oci.Artifact;
import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.BlobSource;
import dev.wharf.oci.Layer;
import dev.wharf.oci.StandardAnnotations;
import dev.wharf.oci.archive.ArchiveLimits;
import dev.wharf.oci.layout.ImageLayoutStore;
import dev.wharf.oci.registry.RegistryArtifactStore;
import dev.wharf.oci.registry.RegistrySettings;
import dev.wharf.terraform.auth.ClientAuthentication;
import dev.wharf.terraform.discovery.ModuleCatalog;
import dev.wharf.terraform.docs.ModuleDocumentation;
import dev.wharf.terraform.layout.MediaTypes;
import dev.wharf.terraform.layout.RepositoryLayout;
import dev.wharf.terraform.layout.TerraformLayout;
import dev.wharf.terraform.module.ModuleService;
import dev.wharf.terraform.provider.ProviderService;
import dev.wharf.testing.DockerRegistryServer;
import dev.wharf.testing.FaultProxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The registry's read API (registry.terraform.io's field names and paging) over each kind of store
 * the catalog comes from: the embedded layout's folders, docker-registry's {@code /v2/_catalog},
 * and the flat layout's one tag list. Modules are stored as the upload commands store them, two
 * of them with the standard annotations the API reads.
 */
class ModuleDiscoveryApiTest {
    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final TerraformLayout layout = TerraformLayout.under("boring-registry");
    private final List<AutoCloseable> open = new ArrayList<>();

    @TempDir
    Path dir;

    enum Storage { IMAGE_LAYOUT, DOCKER_REGISTRY, FLAT_ON_DOCKER_REGISTRY }

    @AfterEach
    void close() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    @ParameterizedTest
    @EnumSource(Storage.class)
    void listsSearchesAndDescribesModulesWithThePublicRegistrysFieldsAndPaging(Storage storage) throws Exception {
        ArtifactStore store = store(storage);
        publish(store, "acme", "vpc", "aws", "1.0.0", Map.of());
        publish(store, "acme", "vpc", "aws", "1.2.0", Map.of(StandardAnnotations.SOURCE, "https://git.example.com/acme/vpc",
                StandardAnnotations.DESCRIPTION, "A VPC with public and private subnets", StandardAnnotations.CREATED, "2026-11-02T10:00:00Z"));
        publish(store, "acme", "vpc", "google", "0.3.0", Map.of());
        publish(store, "acme", "dns", "aws", "2.0.0", Map.of(StandardAnnotations.DESCRIPTION, "Route 53 zones"));
        publish(store, "other", "bucket", "aws", "1.0.0-rc.1", Map.of());
        URI base = serve(store);

        JsonNode all = get(base, "/v1/modules");
        assertThat(ids(all)).containsExactly("acme/dns/aws/2.0.0", "acme/vpc/aws/1.2.0", "acme/vpc/google/0.3.0", "other/bucket/aws/1.0.0-rc.1");
        assertThat(all.at("/meta/limit").asInt()).isEqualTo(15);
        assertThat(all.at("/meta/current_offset").asInt()).isZero();
        assertThat(all.at("/meta").has("next_offset")).isFalse();
        JsonNode vpc = all.at("/modules/1");
        assertThat(vpc.get("namespace").asText()).isEqualTo("acme");
        assertThat(vpc.get("name").asText()).isEqualTo("vpc");
        assertThat(vpc.get("provider").asText()).isEqualTo("aws");
        assertThat(vpc.get("version").asText()).isEqualTo("1.2.0");
        assertThat(vpc.get("source").asText()).isEqualTo("https://git.example.com/acme/vpc");
        assertThat(vpc.get("description").asText()).isEqualTo("A VPC with public and private subnets");
        assertThat(vpc.get("published_at").asText()).isEqualTo("2026-11-02T10:00:00Z");
        assertThat(vpc.get("verified").asBoolean()).isFalse();

        JsonNode first = get(base, "/v1/modules?limit=2");
        assertThat(ids(first)).containsExactly("acme/dns/aws/2.0.0", "acme/vpc/aws/1.2.0");
        assertThat(first.at("/meta/next_offset").asInt()).isEqualTo(2);
        JsonNode second = get(base, first.at("/meta/next_url").asText());
        assertThat(ids(second)).containsExactly("acme/vpc/google/0.3.0", "other/bucket/aws/1.0.0-rc.1");
        assertThat(second.at("/meta/prev_offset").asInt()).isZero();
        assertThat(second.at("/meta").has("next_url")).isFalse();

        assertThat(ids(get(base, "/v1/modules/acme?provider=aws"))).containsExactly("acme/dns/aws/2.0.0", "acme/vpc/aws/1.2.0");
        assertThat(ids(get(base, "/v1/modules/acme/vpc"))).containsExactly("acme/vpc/aws/1.2.0", "acme/vpc/google/0.3.0");
        assertThat(ids(get(base, "/v1/modules/search?q=private%20subnets"))).containsExactly("acme/vpc/aws/1.2.0");
        assertThat(ids(get(base, "/v1/modules/search?q=AWS&namespace=other"))).containsExactly("other/bucket/aws/1.0.0-rc.1");
        assertThat(ids(get(base, "/v1/modules?verified=true"))).isEmpty();

        JsonNode latest = get(base, "/v1/modules/acme/vpc/aws");
        assertThat(latest.get("id").asText()).isEqualTo("acme/vpc/aws/1.2.0");
        assertThat(texts(latest.get("versions"))).containsExactly("1.2.0", "1.0.0");
        assertThat(texts(latest.get("providers"))).containsExactly("aws", "google");
        JsonNode older = get(base, "/v1/modules/acme/vpc/aws/1.0.0");
        assertThat(older.get("version").asText()).isEqualTo("1.0.0");
        assertThat(older.get("source").asText()).isEmpty();

        // The protocol's own answer carries the newest version's source, for Renovate's changelog links.
        JsonNode versions = get(base, "/v1/modules/acme/vpc/aws/versions");
        assertThat(versions.at("/modules/0/source").asText()).isEqualTo("https://git.example.com/acme/vpc");
        assertThat(versions.at("/modules/0").has("source")).isTrue();
        assertThat(get(base, "/v1/modules/acme/dns/aws/versions").at("/modules/0").has("source")).isFalse();

        assertThat(status(base, "/v1/modules/acme/vpc/aws/9.9.9")).isEqualTo(404);
        assertThat(badRequest(base, "/v1/modules/acme/vpc/aws/1.0")).isEqualTo("version '1.0' is not a semantic version (MAJOR.MINOR.PATCH)");
        assertThat(status(base, "/v1/modules/nobody/vpc/aws")).isEqualTo(404);
        assertThat(status(base, "/v1/modules/nobody/vpc")).isEqualTo(404);
        assertThat(ids(get(base, "/v1/modules/nobody"))).isEmpty();
        assertThat(badRequest(base, "/v1/modules?limit=0")).isEqualTo("limit must be between 1 and 100, not 0");
        assertThat(badRequest(base, "/v1/modules?limit=99999999999")).isEqualTo("limit 99999999999 is too large");
        assertThat(badRequest(base, "/v1/modules?offset=x")).isEqualTo("offset must be a whole number, not 'x'");
        assertThat(status(base, "/v1/modules/search")).isEqualTo(400);
    }

    @org.junit.jupiter.api.Test
    void aRegistryWithoutACatalogGetsOneClearAnswerAndModulePagesStillWork() throws Exception {
        DockerRegistryServer registry = keep(DockerRegistryServer.anonymous(dir.resolve("registry")));
        FaultProxy proxy = keep(FaultProxy.before(registry.host()));
        proxy.inject(FaultProxy.Fault.STATUS_404, r -> r.path().startsWith("/v2/_catalog"));
        ArtifactStore store = keep(new RegistryArtifactStore(new RegistrySettings("http://" + proxy.host(), false, Optional.empty())));
        publish(store, "acme", "vpc", "aws", "1.0.0", Map.of());
        URI base = serve(store);

        HttpResponse<String> list = http.send(HttpRequest.newBuilder(base.resolve("/v1/modules")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(list.statusCode()).isEqualTo(501);
        assertThat(json.readTree(list.body()).at("/errors/0").asText()).contains("/v2/_catalog", "--storage-oci-flat");
        JsonNode module = get(base, "/v1/modules/acme/vpc/aws");
        assertThat(module.get("id").asText()).isEqualTo("acme/vpc/aws/1.0.0");
        assertThat(texts(module.get("providers"))).containsExactly("aws");
    }

    @org.junit.jupiter.api.Test
    void everyDiscoveryRouteWantsTheSameTokenAsTheProtocol() throws Exception {
        ArtifactStore store = store(Storage.IMAGE_LAYOUT);
        publish(store, "acme", "vpc", "aws", "1.0.0", Map.of());
        URI base = serve(store, new ClientAuthentication(t -> t.equals("Bearer s3cret"), true, Optional.empty()));
        for (String path : List.of("/v1/modules", "/v1/modules/", "/v1/modules/search?q=vpc", "/v1/modules/acme", "/v1/modules/acme/vpc",
                "/v1/modules/acme/vpc/aws", "/v1/modules/acme/vpc/aws/1.0.0")) {
            assertThat(status(base, path)).as(path).isEqualTo(401);
            HttpResponse<String> allowed = http.send(HttpRequest.newBuilder(base.resolve(path)).header("Authorization", "Bearer s3cret").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(allowed.statusCode()).as(path + ": " + allowed.body()).isEqualTo(200);
        }
    }

    @org.junit.jupiter.api.Test
    void aVersionsAnswerCarriesItsDocumentationInThePublicRegistrysShapes() throws Exception {
        ArtifactStore store = store(Storage.DOCKER_REGISTRY);
        Map<String, String> files = new java.util.LinkedHashMap<>();
        files.put("variables.tf", """
                variable "name" {
                  description = <<-EOT
                    Name prefix
                  EOT
                  type = string
                }

                variable "settings" {
                  type = object({
                    tier = optional(string, "standard")
                  })
                  default = { tier = "premium" }
                  validation {
                    condition     = contains(["standard", "premium"], var.settings.tier)
                    error_message = "Unknown tier ${var.settings.tier}."
                  }
                }

                variable "token" {
                  type      = string
                  sensitive = true
                  default   = null
                }
                """);
        files.put("main.tf", """
                terraform {
                  required_version = ">= 1.5"
                  required_providers {
                    aws = {
                      source  = "hashicorp/aws"
                      version = ">= 5.0"
                    }
                  }
                }

                data "aws_region" "current" {}

                resource "aws_s3_bucket" "logs" {
                  bucket = "${var.name}-logs"
                }

                resource "random_id" "suffix" {
                  byte_length = 4
                }

                module "labels" {
                  source  = "registry.example.com/acme/labels/null"
                  version = "~> 2.0"
                }

                output "bucket" {
                  description = "The log bucket"
                  value       = aws_s3_bucket.logs.id
                  sensitive   = true
                }
                """);
        files.put("broken.tf", "variable \"x\" {\n");
        files.put("modules/policy/main.tf", "variable \"bucket\" {\n  type = string\n}\n");
        publish(store, "acme", "logs", "aws", "1.0.0", Map.of(), tarGz(files));
        publish(store, "acme", "logs", "aws", "1.1.0", Map.of(), "not an archive".getBytes(StandardCharsets.UTF_8));
        URI base = serve(store);

        JsonNode answer = get(base, "/v1/modules/acme/logs/aws/1.0.0");
        JsonNode root = answer.get("root");
        assertThat(root.get("path").asText()).isEmpty();
        assertThat(root.get("empty").asBoolean()).isFalse();
        assertThat(root.get("inputs")).hasSize(3);
        assertThat(root.at("/inputs/0").toString()).isEqualTo(
                "{\"name\":\"name\",\"type\":\"string\",\"description\":\"Name prefix\\n\",\"default\":\"\",\"required\":true,\"sensitive\":false}");
        assertThat(root.at("/inputs/1/name").asText()).isEqualTo("settings");
        assertThat(root.at("/inputs/1/type").asText()).isEqualTo("object({\n    tier = optional(string, \"standard\")\n  })");
        assertThat(root.at("/inputs/1/default").asText()).isEqualTo("{\"tier\":\"premium\"}");
        assertThat(root.at("/inputs/1/required").asBoolean()).isFalse();
        assertThat(root.at("/inputs/2/default").asText()).isEqualTo("null");
        assertThat(root.at("/inputs/2/sensitive").asBoolean()).isTrue();
        assertThat(root.at("/outputs").toString()).isEqualTo("[{\"name\":\"bucket\",\"description\":\"The log bucket\",\"sensitive\":true}]");
        assertThat(root.at("/dependencies").toString())
                .isEqualTo("[{\"name\":\"labels\",\"source\":\"registry.example.com/acme/labels/null\",\"version\":\"~> 2.0\"}]");
        assertThat(root.at("/provider_dependencies").toString()).isEqualTo("[{\"name\":\"aws\",\"namespace\":\"hashicorp\","
                + "\"source\":\"hashicorp/aws\",\"version\":\">= 5.0\"},{\"name\":\"random\",\"namespace\":\"hashicorp\","
                + "\"source\":\"hashicorp/random\",\"version\":\"\"}]");
        assertThat(root.at("/resources").toString())
                .isEqualTo("[{\"name\":\"logs\",\"type\":\"aws_s3_bucket\"},{\"name\":\"suffix\",\"type\":\"random_id\"}]");
        assertThat(root.at("/data_resources").toString()).isEqualTo("[{\"name\":\"current\",\"type\":\"aws_region\"}]");
        assertThat(texts(root.get("required_core"))).containsExactly(">= 1.5");
        assertThat(texts(root.get("notes"))).containsExactly("broken.tf: not read, line 1: a block is never closed with '}'");
        // The same note with the publisher's file name apart from the registry's reason, for a client to isolate it.
        assertThat(root.at("/note_details").toString())
                .isEqualTo("[{\"file\":\"broken.tf\",\"reason\":\"not read, line 1: a block is never closed with '}'\"}]");
        assertThat(answer.get("submodules")).hasSize(1);
        assertThat(answer.at("/submodules/0/path").asText()).isEqualTo("modules/policy");
        assertThat(answer.at("/submodules/0/name").asText()).isEqualTo("policy");
        assertThat(answer.at("/submodules/0/inputs/0/name").asText()).isEqualTo("bucket");
        assertThat(answer.at("/submodules/0/resources")).isEmpty();

        // The newest version's archive is no archive: it still answers, and says why it has no documentation.
        JsonNode latest = get(base, "/v1/modules/acme/logs/aws");
        assertThat(latest.get("version").asText()).isEqualTo("1.1.0");
        assertThat(latest.at("/root/empty").asBoolean()).isTrue();
        assertThat(latest.at("/root/notes/0").asText()).startsWith("the archive could not be read for its documentation: ");
        assertThat(latest.get("submodules")).isEmpty();
    }

    private static byte[] tarGz(Map<String, String> files) throws java.io.IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (var tar = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(new java.util.zip.GZIPOutputStream(out))) {
            for (Map.Entry<String, String> file : files.entrySet()) {
                byte[] content = file.getValue().getBytes(StandardCharsets.UTF_8);
                var entry = new org.apache.commons.compress.archivers.tar.TarArchiveEntry(file.getKey());
                entry.setSize(content.length);
                tar.putArchiveEntry(entry);
                tar.write(content);
                tar.closeArchiveEntry();
            }
        }
        return out.toByteArray();
    }

    private ArtifactStore store(Storage storage) {
        if (storage == Storage.IMAGE_LAYOUT) {
            return keep(new ImageLayoutStore(dir.resolve("layout")));
        }
        DockerRegistryServer registry = keep(DockerRegistryServer.anonymous(dir.resolve("registry")));
        ArtifactStore remote = keep(new RegistryArtifactStore(new RegistrySettings(registry.url(), false, Optional.empty())));
        return storage == Storage.FLAT_ON_DOCKER_REGISTRY ? RepositoryLayout.flat(layout).over(remote, layout.base()) : remote;
    }

    private void publish(ArtifactStore store, String namespace, String name, String provider, String version, Map<String, String> extra) {
        publish(store, namespace, name, provider, version, extra, (namespace + name + provider + version).getBytes(StandardCharsets.UTF_8));
    }

    private void publish(ArtifactStore store, String namespace, String name, String provider, String version, Map<String, String> extra,
            byte[] archive) {
        Map<String, String> annotations = new HashMap<>(StandardAnnotations.of(name, version, java.time.Instant.parse("2026-01-01T00:00:00Z")));
        annotations.putAll(extra);
        store.push(layout.moduleRepository(namespace, name, provider), layout.moduleTag(namespace, name, provider, version),
                new Artifact(MediaTypes.MODULE_ARTIFACT, List.of(Layer.file(MediaTypes.MODULE_TAR_GZ, "module.tar.gz", BlobSource.ofBytes(archive))),
                        annotations), false);
    }

    private URI serve(ArtifactStore store) {
        return serve(store, new ClientAuthentication(t -> false, false, Optional.empty()));
    }

    private URI serve(ArtifactStore store, ClientAuthentication auth) {
        ModuleService modules = new ModuleService(store, layout);
        dev.wharf.http.ReadyAnswers ready = new dev.wharf.http.ReadyAnswers(1L << 20);
        TerraformApi api = new TerraformApi(modules, new ProviderService(store, layout, json), auth, Optional::empty,
                FileUrlSigner.withRandomKey(Duration.ofMinutes(5)), false, json, ready);
        ModuleDiscoveryApi discovery = new ModuleDiscoveryApi(new ModuleCatalog(store, layout, modules, Duration.ofMinutes(1)),
                new ModuleDocumentation(modules, ArchiveLimits.DEFAULT), json, auth, ready);
        // As the server runs it: repeats are answered from memory in front of the router.
        WebServer server = keep(WebServer.start(ListenAddress.parse("127.0.0.1:0"), Optional.empty(), Optional.of(ready),
                (route, method, status, micros) -> { }, cfg -> {
            api.register(cfg);
            discovery.register(cfg);
        }));
        return server.localUri();
    }

    private JsonNode get(URI base, String path) throws Exception {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(base.resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(path + ": " + answer.body()).isEqualTo(200);
        return json.readTree(answer.body());
    }

    /** The one error of a 400 answer. */
    private String badRequest(URI base, String path) throws Exception {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(base.resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(path + ": " + answer.body()).isEqualTo(400);
        JsonNode errors = json.readTree(answer.body()).get("errors");
        assertThat(errors.size()).isEqualTo(1);
        return errors.get(0).asText();
    }

    private int status(URI base, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(base.resolve(path)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static List<String> ids(JsonNode page) {
        return StreamSupport.stream(page.get("modules").spliterator(), false).map(m -> m.get("id").asText()).toList();
    }

    private static List<String> texts(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }

    private <T extends AutoCloseable> T keep(T resource) {
        open.add(resource);
        return resource;
    }
}
