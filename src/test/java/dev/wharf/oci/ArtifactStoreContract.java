package dev.wharf.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link ArtifactStore} must do, whatever is behind it. Each backend's test extends this
 * and provides a store; every test works in repositories of its own, so a store may be shared.
 */
public abstract class ArtifactStoreContract {
    protected static final String TYPE = "application/vnd.wharf.test.v1";
    protected static final String FILE_TYPE = "application/vnd.wharf.test.file.v1";

    @TempDir
    protected Path scratch;

    private final String prefix = "contract/" + UUID.randomUUID().toString().substring(0, 8);

    protected abstract ArtifactStore store();

    /** Whether this backend can delete tags (docker-registry 2.8 only with deletion enabled). */
    protected boolean canDeleteTags() {
        return true;
    }

    /** Where the backend keeps a blob's bytes, so a test can damage them behind the store's back. */
    protected abstract Path blobFile(String repository, Digest digest);

    protected String repo(String name) {
        return prefix + "/" + name;
    }

    protected static Artifact textArtifact(String title, String content) {
        return Artifact.single(TYPE, Layer.file(FILE_TYPE, title, BlobSource.ofBytes(content.getBytes(StandardCharsets.UTF_8))));
    }

    protected static String read(ArtifactStore store, String repository, Digest digest) throws IOException {
        try (InputStream in = store.openBlob(repository, digest)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void pushesResolvesAndStreamsBack() throws IOException {
        ArtifactStore store = store();
        String repository = repo("roundtrip");
        Path file = scratch.resolve("payload.bin");
        Files.write(file, "zip-ish bytes".getBytes(StandardCharsets.UTF_8));
        Artifact artifact = new Artifact(TYPE, List.of(
                Layer.file("application/zip", "payload.zip", BlobSource.ofFile(file)),
                Layer.file("text/plain", "notes.txt", BlobSource.ofBytes("hello".getBytes(StandardCharsets.UTF_8)))),
                Map.of("org.example.kind", "test"));

        Manifest pushed = store.push(repository, "v1.0.0", artifact, false);
        Manifest resolved = store.resolve(repository, "v1.0.0").orElseThrow();

        assertThat(resolved.digest()).isEqualTo(pushed.digest());
        assertThat(resolved.artifactType()).isEqualTo(TYPE);
        assertThat(resolved.effectiveArtifactType()).contains(TYPE);
        assertThat(resolved.annotations()).containsEntry("org.example.kind", "test");
        assertThat(resolved.layers()).extracting(Descriptor::mediaType).containsExactly("application/zip", "text/plain");
        assertThat(resolved.layers().get(0).title()).contains("payload.zip");
        assertThat(resolved.layers().get(0).size()).isEqualTo(13);
        assertThat(resolved.layers().get(0).digest()).isEqualTo(Digest.sha256("zip-ish bytes".getBytes(StandardCharsets.UTF_8)));
        assertThat(read(store, repository, resolved.layers().get(0).digest())).isEqualTo("zip-ish bytes");
        assertThat(read(store, repository, resolved.layers().get(1).digest())).isEqualTo("hello");
        assertThat(store.resolve(repository, pushed.digest().toString())).map(Manifest::digest).contains(pushed.digest());
        assertThat(store.exists(repository, "v1.0.0")).isTrue();
        assertThat(store.listTags(repository)).containsExactly("v1.0.0");
    }

    @Test
    void keepsAnArtifactsOwnConfigEmbeddingItWhenSmall() throws IOException {
        ArtifactStore store = store();
        String repository = repo("configs");
        String configType = "application/vnd.wharf.test.config.v1+json";
        byte[] small = "{\"about\":\"the artifact\"}".getBytes(StandardCharsets.UTF_8);
        byte[] large = ("{\"pad\":\"" + "x".repeat(ArtifactConfig.EMBED_LIMIT) + "\"}").getBytes(StandardCharsets.UTF_8);
        Layer layer = Layer.file(FILE_TYPE, "a.txt", BlobSource.ofBytes("a".getBytes(StandardCharsets.UTF_8)));

        store.push(repository, "small", new Artifact(TYPE, new ArtifactConfig(configType, small), List.of(layer), Map.of()), false);
        store.push(repository, "large", new Artifact(TYPE, new ArtifactConfig(configType, large), List.of(layer), Map.of()), false);
        store.push(repository, "empty", new Artifact(TYPE, List.of(layer), Map.of()), false);

        Descriptor smallConfig = store.resolve(repository, "small").orElseThrow().config();
        assertThat(smallConfig.mediaType()).isEqualTo(configType);
        assertThat(smallConfig.digest()).isEqualTo(Digest.sha256(small));
        assertThat(smallConfig.embedded()).hasValueSatisfying(b -> assertThat(b).isEqualTo(small));
        assertThat(read(store, repository, smallConfig.digest())).isEqualTo(new String(small, StandardCharsets.UTF_8));

        Descriptor largeConfig = store.resolve(repository, "large").orElseThrow().config();
        assertThat(largeConfig.size()).isEqualTo(large.length);
        assertThat(largeConfig.data()).isNull();
        assertThat(largeConfig.embedded()).isEmpty();
        assertThat(read(store, repository, largeConfig.digest())).isEqualTo(new String(large, StandardCharsets.UTF_8));

        Manifest empty = store.resolve(repository, "empty").orElseThrow();
        assertThat(empty.config().mediaType()).isEqualTo(Manifest.OCI_EMPTY);
        assertThat(empty.config().embedded()).hasValueSatisfying(b -> assertThat(b).isEqualTo("{}".getBytes(StandardCharsets.UTF_8)));
        assertThat(empty.effectiveArtifactType()).contains(TYPE);
    }

    @Test
    void unknownThingsAreEmptyNotErrors() {
        ArtifactStore store = store();
        String repository = repo("never-pushed");
        assertThat(store.listTags(repository)).isEmpty();
        assertThat(store.resolve(repository, "v1")).isEmpty();
        assertThat(store.exists(repository, "v1")).isFalse();
        store.push(repo("known"), "a", textArtifact("a.txt", "a"), false);
        assertThat(store.resolve(repo("known"), "b")).isEmpty();
        assertThat(store.exists(repo("known"), "b")).isFalse();
    }

    @Test
    void missingBlobIsNotFound() {
        ArtifactStore store = store();
        String repository = repo("blobless");
        store.push(repository, "a", textArtifact("a.txt", "a"), false);
        Digest absent = Digest.sha256("never stored".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> store.openBlob(repository, absent).close())
                .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.kind()).isEqualTo(StorageException.Kind.NOT_FOUND));
        assertThatThrownBy(() -> store.copyBlob(repository, absent, chunk -> {
            throw new AssertionError("nothing may be written for a missing blob");
        })).isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.kind()).isEqualTo(StorageException.Kind.NOT_FOUND));
    }

    @Test
    void copiesBlobsWholeAndEmpty() throws IOException {
        ArtifactStore store = store();
        String repository = repo("copied");
        Manifest manifest = store.push(repository, "1", new Artifact(TYPE, List.of(
                Layer.file(FILE_TYPE, "empty", BlobSource.ofBytes(new byte[0])),
                Layer.file(FILE_TYPE, "short", BlobSource.ofBytes("short".getBytes(StandardCharsets.UTF_8)))), Map.of()), false);
        for (Descriptor layer : manifest.layers()) {
            java.io.ByteArrayOutputStream copy = new java.io.ByteArrayOutputStream();
            store.copyBlob(repository, layer.digest(), chunk -> {
                byte[] bytes = new byte[chunk.remaining()];
                chunk.get(bytes);
                copy.write(bytes);
            });
            assertThat(copy.toString(StandardCharsets.UTF_8)).isEqualTo(read(store, repository, layer.digest()));
            assertThat(copy.size()).isEqualTo(layer.size());
        }
    }

    @Test
    void aCorruptedBlobFailsItsCopyBeforeTheLastBytes() throws IOException {
        ArtifactStore store = store();
        String repository = repo("damaged");
        byte[] content = new byte[3 << 20];
        new Random(7).nextBytes(content);
        Manifest manifest = store.push(repository, "1", Artifact.single(TYPE,
                Layer.file(FILE_TYPE, "damaged.bin", BlobSource.ofBytes(content))), false);
        Digest digest = manifest.layers().get(0).digest();
        byte[] damaged = content.clone();
        damaged[damaged.length - 10] ^= 1;
        Files.write(blobFile(repository, digest), damaged);

        long[] written = {0};
        assertThatThrownBy(() -> store.copyBlob(repository, digest, chunk -> {
            written[0] += chunk.remaining();
            chunk.position(chunk.limit());
        })).isInstanceOf(IOException.class).hasMessageContaining("does not match its digest");
        // Whoever counts on the length (an HTTP client) sees a short download, never a whole wrong one.
        assertThat(written[0]).isLessThan(content.length);
    }

    @Test
    void neverOverwritesUnlessAsked() throws IOException {
        ArtifactStore store = store();
        String repository = repo("overwrite");
        Manifest first = store.push(repository, "1.0.0", textArtifact("f.txt", "first"), false);

        assertThatThrownBy(() -> store.push(repository, "1.0.0", textArtifact("f.txt", "second"), false))
                .isInstanceOfSatisfying(StorageException.class, e -> {
                    assertThat(e.kind()).isEqualTo(StorageException.Kind.TAG_EXISTS);
                    assertThat(e.getMessage()).contains("1.0.0");
                });
        Manifest kept = store.resolve(repository, "1.0.0").orElseThrow();
        assertThat(kept.digest()).isEqualTo(first.digest());
        assertThat(read(store, repository, kept.layers().get(0).digest())).isEqualTo("first");

        Manifest replaced = store.push(repository, "1.0.0", textArtifact("f.txt", "second"), true);
        assertThat(store.resolve(repository, "1.0.0").orElseThrow().digest()).isEqualTo(replaced.digest());
        assertThat(store.listTags(repository)).containsExactly("1.0.0");
    }

    @Test
    void listsTwoHundredFiftyTags() {
        ArtifactStore store = store();
        String repository = repo("many");
        List<String> tags = IntStream.range(0, 250).mapToObj(i -> "tag-" + i).toList();
        for (String tag : tags) {
            store.push(repository, tag, textArtifact("same.txt", "shared content"), false);
        }
        assertThat(store.listTags(repository)).containsExactlyInAnyOrderElementsOf(tags);
    }

    @Test
    void resolvesManyReferencesInTheOrderAsked() {
        ArtifactStore store = store();
        String repository = repo("batch");
        List<Manifest> pushed = IntStream.range(0, 40)
                .mapToObj(i -> store.push(repository, "v" + i, textArtifact("f.txt", "content " + i), false)).toList();
        List<String> asked = new java.util.ArrayList<>();
        for (int i = 39; i >= 0; i--) {
            asked.add("v" + i);
            if (i % 10 == 0) {
                asked.add("missing-" + i);
            }
        }
        asked.add(pushed.get(3).digest().toString());

        List<Optional<Manifest>> answers = store.resolveAll(repository, asked);

        assertThat(answers).hasSize(asked.size());
        for (int i = 0; i < asked.size(); i++) {
            String reference = asked.get(i);
            if (reference.startsWith("missing-")) {
                assertThat(answers.get(i)).as(reference).isEmpty();
            } else if (reference.startsWith("v")) {
                int n = Integer.parseInt(reference.substring(1));
                assertThat(answers.get(i).orElseThrow().digest()).as(reference).isEqualTo(pushed.get(n).digest());
            } else {
                assertThat(answers.get(i).orElseThrow().digest()).isEqualTo(pushed.get(3).digest());
            }
        }
        assertThat(store.resolveAll(repository, List.of())).isEmpty();
    }

    @Test
    void concurrentPushesLoseNoTag() throws Exception {
        ArtifactStore store = store();
        String repository = repo("concurrent");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 6; i++) {
                        store.push(repository, "t" + thread + "-" + i, textArtifact("x.txt", "x" + thread + i), false);
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(store.listTags(repository)).hasSize(48);
    }

    @Test
    void nestedRepositoriesAreIndependent() throws IOException {
        ArtifactStore store = store();
        store.push(repo("providers/acme"), "signing-keys.json", textArtifact("signing-keys.json", "keys"), false);
        store.push(repo("providers/acme/dummy"), "a", textArtifact("a", "provider"), false);
        store.push(repo("providers/acme/blobs"), "b", textArtifact("b", "awkward name"), false);

        assertThat(store.listTags(repo("providers/acme"))).containsExactly("signing-keys.json");
        assertThat(store.listTags(repo("providers/acme/dummy"))).containsExactly("a");
        Manifest awkward = store.resolve(repo("providers/acme/blobs"), "b").orElseThrow();
        assertThat(read(store, repo("providers/acme/blobs"), awkward.layers().get(0).digest())).isEqualTo("awkward name");
        Manifest keys = store.resolve(repo("providers/acme"), "signing-keys.json").orElseThrow();
        assertThat(read(store, repo("providers/acme"), keys.layers().get(0).digest())).isEqualTo("keys");
    }

    @Test
    void deletesTags() {
        ArtifactStore store = store();
        String repository = repo("delete");
        store.push(repository, "keep", textArtifact("k", "keep"), false);
        store.push(repository, "drop", textArtifact("d", "drop"), false);
        if (!canDeleteTags()) {
            assertThatThrownBy(() -> store.delete(repository, "drop"))
                    .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.kind()).isEqualTo(StorageException.Kind.UNSUPPORTED));
            return;
        }
        assertThat(store.delete(repository, "drop")).isTrue();
        assertThat(store.exists(repository, "drop")).isFalse();
        assertThat(store.listTags(repository)).containsExactly("keep");
        assertThat(store.delete(repository, "drop")).isFalse();
    }

    @Test
    void streamsAFortyMegabyteFileBothWays() throws Exception {
        ArtifactStore store = store();
        String repository = repo("large");
        Path file = scratch.resolve("large.bin");
        MessageDigest written = Digest.newSha256();
        byte[] chunk = new byte[1 << 20];
        Random random = new Random(42);
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int i = 0; i < 40; i++) {
                random.nextBytes(chunk);
                written.update(chunk);
                out.write(chunk);
            }
        }
        Digest expected = Digest.ofSha256(written);
        Manifest manifest = store.push(repository, "big", Artifact.single(TYPE,
                Layer.file("application/octet-stream", "large.bin", BlobSource.ofFile(file))), false);
        assertThat(manifest.layers().get(0).digest()).isEqualTo(expected);
        assertThat(manifest.layers().get(0).size()).isEqualTo(40L << 20);

        MessageDigest readBack = Digest.newSha256();
        try (InputStream in = new DigestInputStream(store.openBlob(repository, expected), readBack)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        assertThat(Digest.ofSha256(readBack)).isEqualTo(expected);

        MessageDigest copied = Digest.newSha256();
        long[] size = {0};
        store.copyBlob(repository, expected, part -> {
            size[0] += part.remaining();
            copied.update(part);
        });
        assertThat(size[0]).isEqualTo(40L << 20);
        assertThat(Digest.ofSha256(copied)).isEqualTo(expected);
    }

    @Test
    void refusesInvalidNamesWithAReason() {
        ArtifactStore store = store();
        assertThatThrownBy(() -> store.push(repo("Upper/Case"), "v1", textArtifact("a", "a"), false))
                .hasMessageContaining("not valid for OCI");
        assertThatThrownBy(() -> store.push(repo("ok"), "1.0.0+build", textArtifact("a", "a"), false))
                .hasMessageContaining("not a valid OCI tag");
    }
}
