package dev.wharf.oci.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.oci.Artifact;
import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.BlobSource;
import dev.wharf.oci.ExclusivePublishStore;
import dev.wharf.oci.Layer;
import dev.wharf.oci.StorageException;
import dev.wharf.testing.DockerRegistryServer;
import dev.wharf.testing.SlowTagProxy;
import dev.wharf.testing.SlowTagProxy.Answer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A registry whose tag-immutability setting refuses the manifest PUT of a writer that saw the tag
 * absent (it lost the race): each registry's answer, played by a proxy in front of docker-registry
 * that already holds the tag, reads as "already exists" and names the setting. Refusals that are
 * something else stay what they are.
 */
class TagImmutabilityTest {
    private static final String JSON = "application/json; charset=utf-8";

    @TempDir
    static Path dir;
    static DockerRegistryServer registry;
    static SlowTagProxy proxy;
    static int repositories;

    @BeforeAll
    static void start() {
        registry = DockerRegistryServer.anonymous(dir.resolve("registry"));
        proxy = new SlowTagProxy(registry.host(), Duration.ZERO);
    }

    @AfterEach
    void forwardAgain() {
        proxy.refuseManifestPuts(null);
    }

    @AfterAll
    static void stop() {
        proxy.close();
        registry.close();
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                Arguments.of("Harbor", new Answer(412, JSON, "{\"errors\":[{\"code\":\"PRECONDITION\",\"message\":"
                        + "\"Failed to process request due to 'acme/app:v1' configured as immutable.\"}]}"), "Harbor"),
                Arguments.of("Amazon ECR", new Answer(400, JSON, "{\"errors\":[{\"code\":\"TAG_INVALID\",\"message\":"
                        + "\"The image tag 'v1' already exists in the 'acme/app' repository and cannot be overwritten"
                        + " because the repository is immutable.\"}]}"), "Amazon ECR"),
                Arguments.of("Azure ACR", new Answer(405, JSON, "{\"errors\":[{\"code\":\"REGISTRY_DISALLOWED_OPERATION\","
                        + "\"message\":\"The operation is disallowed on this registry, repository or image.\",\"detail\":{}}]}"),
                        "Azure ACR"),
                Arguments.of("any other (GAR, DTR)", new Answer(400, JSON, "{\"errors\":[{\"code\":\"UNKNOWN\",\"message\":"
                        + "\"tag=v1 cannot be overwritten because acme/app is an immutable repository\"}]}"),
                        "tag immutability setting"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void aRefusalByTagImmutabilityIsAlreadyExists(String registryName, Answer refusal, String named) {
        try (ArtifactStore store = new ExclusivePublishStore(RegistryTestStores.anonymous(proxy.url()))) {
            String repository = "immutable/" + ++repositories;
            store.push(repository, "v1", artifact("first"), false);
            proxy.refuseManifestPuts(refusal);

            assertThatThrownBy(() -> store.push(repository, "v1", artifact("second"), false))
                    .isInstanceOfSatisfying(StorageException.class, e -> {
                        assertThat(e.kind()).isEqualTo(StorageException.Kind.TAG_EXISTS);
                        assertThat(e.getMessage()).contains("'v1' already exists", "refused to overwrite", named)
                                .doesNotContain("\n");
                    });
            assertThat(proxy.requests()).as("the refusal came from the manifest PUT")
                    .contains("PUT /v2/" + repository + "/manifests/v1");
        }
    }

    @Test
    void aLockThatRefusesANewTagIsNotAlreadyExists() {
        try (ArtifactStore store = new ExclusivePublishStore(RegistryTestStores.anonymous(proxy.url()))) {
            String repository = "immutable/" + ++repositories;
            proxy.refuseManifestPuts(refusals().filter(a -> a.get()[0].equals("Azure ACR")).findFirst().map(a -> (Answer) a.get()[1])
                    .orElseThrow());

            assertThatThrownBy(() -> store.push(repository, "v1", artifact("first"), false))
                    .isInstanceOfSatisfying(StorageException.class, e -> {
                        assertThat(e.kind()).isNotEqualTo(StorageException.Kind.TAG_EXISTS);
                        assertThat(e.getMessage()).contains("REGISTRY_DISALLOWED_OPERATION");
                    });
        }
    }

    @Test
    void aDenialThatIsNotAboutImmutabilityIsNotAlreadyExists() {
        try (ArtifactStore store = new ExclusivePublishStore(RegistryTestStores.anonymous(proxy.url()))) {
            String repository = "immutable/" + ++repositories;
            store.push(repository, "v1", artifact("first"), false);
            proxy.refuseManifestPuts(new Answer(403, JSON, "{\"errors\":[{\"code\":\"DENIED\",\"message\":"
                    + "\"requested access to the resource is denied\"}]}"));

            assertThatThrownBy(() -> store.push(repository, "v1", artifact("second"), false))
                    .isInstanceOfSatisfying(StorageException.class, e -> {
                        assertThat(e.kind()).isEqualTo(StorageException.Kind.FORBIDDEN);
                        assertThat(e.getMessage()).contains("DENIED");
                    });
            assertThat(proxy.requests()).as("the denial came from the manifest PUT")
                    .contains("PUT /v2/" + repository + "/manifests/v1");
        }
    }

    private static Artifact artifact(String content) {
        return Artifact.single("application/vnd.wharf.test", Layer.file("application/octet-stream", "content.txt",
                BlobSource.ofBytes(content.getBytes(StandardCharsets.UTF_8))));
    }
}
