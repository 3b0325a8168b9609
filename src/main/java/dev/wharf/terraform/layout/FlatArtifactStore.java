package dev.wharf.terraform.layout;

import dev.wharf.oci.Artifact;
import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.ChunkSource;
import dev.wharf.oci.Descriptor;
import dev.wharf.oci.Digest;
import dev.wharf.oci.ForwardingArtifactStore;
import dev.wharf.oci.Generation;
import dev.wharf.oci.Manifest;
import dev.wharf.oci.Stamped;
import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The flat layout as a store: callers name the nested repositories of {@link TerraformLayout}, and
 * every call lands on the one base repository under the tag {@link FlatTags} gives the pair. Blobs
 * and digests are the base repository's.
 *
 * <p>Listing a nested repository reads the base repository's whole tag list (every page) through the
 * store below, so a cache under this view keeps one list for all modules and providers. The list is
 * grouped by path once per list the store hands out, so each lookup after that is a map read, not a
 * scan of every tag.
 */
final class FlatArtifactStore extends ForwardingArtifactStore {
    private final FlatTags tags;
    private final String base;
    /** The grouping of the last base tag list, keyed by that list's identity. */
    private volatile Grouped grouped = new Grouped(List.of(), Map.of(), List.of());

    FlatArtifactStore(ArtifactStore delegate, FlatTags tags) {
        super(delegate);
        this.tags = tags;
        this.base = tags.base();
    }

    private record Grouped(List<String> source, Map<String, List<String>> byPath, List<String> allHashed) {
    }

    @Override
    public List<String> listTags(String repository) {
        return listTagsStamped(repository).value();
    }

    /**
     * The nested repository's tags, from the base repository's one list. Its generation is the base
     * list's when the answer comes from tag names alone (the same list then gives the same answer);
     * an answer that needed manifests (hashed tags) is never current, so it is always rebuilt.
     */
    @Override
    public Stamped<List<String>> listTagsStamped(String repository) {
        Stamped<List<String>> all = delegate.listTagsStamped(base);
        Grouped groups = groups(all.value());
        List<String> answer = new ArrayList<>();
        List<String> hashed = new ArrayList<>();
        for (String stored : groups.byPath().getOrDefault(repository, List.of())) {
            if (tags.decode(stored).orElseThrow() instanceof FlatTags.Decoded.Plain plain) {
                answer.add(plain.tag());
            } else {
                hashed.add(stored);
            }
        }
        if (!tags.pathKept(repository)) {
            hashed.addAll(groups.allHashed());
        }
        answer.addAll(fromAnnotations(repository, hashed));
        return new Stamped<>(List.copyOf(answer), hashed.isEmpty() ? all.generation() : Generation.NONE);
    }

    private Grouped groups(List<String> all) {
        Grouped current = grouped;
        if (current.source() == all) {
            return current;
        }
        Map<String, List<String>> byPath = new HashMap<>();
        List<String> allHashed = new ArrayList<>();
        for (String stored : all) {
            tags.decode(stored).ifPresent(decoded -> {
                if (decoded instanceof FlatTags.Decoded.Plain plain) {
                    byPath.computeIfAbsent(plain.repository(), r -> new ArrayList<>()).add(stored);
                } else if (decoded instanceof FlatTags.Decoded.HashedIn in) {
                    byPath.computeIfAbsent(in.repository(), r -> new ArrayList<>()).add(stored);
                } else {
                    allHashed.add(stored);
                }
            });
        }
        Grouped fresh = new Grouped(all, byPath, allHashed);
        grouped = fresh;
        return fresh;
    }

    /**
     * The nested repositories that have at least one tag in the base repository: no catalog is
     * needed, which is what makes the flat layout work on registries without one. Tags hashed
     * whole name their repository only in their manifest's annotation, so those are read.
     */
    @Override
    public List<String> listRepositories(String prefix) {
        Grouped groups = groups(delegate.listTagsStamped(base).value());
        java.util.TreeSet<String> names = new java.util.TreeSet<>(groups.byPath().keySet());
        if (!groups.allHashed().isEmpty()) {
            for (Optional<Manifest> manifest : delegate.resolveAll(base, groups.allHashed())) {
                manifest.flatMap(m -> Optional.ofNullable(m.annotations().get(FlatTags.REFERENCE_ANNOTATION)).flatMap(tags::fromReference))
                        .ifPresent(pair -> names.add(pair.repository()));
            }
        }
        return names.stream().filter(n -> n.startsWith(prefix)).toList();
    }

    /** The nested tags hashed stored tags stand for, read from their manifests' annotation. */
    private List<String> fromAnnotations(String repository, List<String> hashed) {
        if (hashed.isEmpty()) {
            return List.of();
        }
        List<String> found = new ArrayList<>();
        List<Optional<Manifest>> manifests = delegate.resolveAll(base, hashed);
        for (Optional<Manifest> manifest : manifests) {
            manifest.flatMap(m -> Optional.ofNullable(m.annotations().get(FlatTags.REFERENCE_ANNOTATION)).flatMap(tags::fromReference))
                    .filter(pair -> pair.repository().equals(repository))
                    .ifPresent(pair -> found.add(pair.tag()));
        }
        return found;
    }

    @Override
    public boolean isCurrentTagList(String repository, Generation generation) {
        return generation.isCached() && delegate.isCurrentTagList(base, generation);
    }

    @Override
    public Optional<Manifest> resolve(String repository, String reference) {
        return delegate.resolve(base, stored(repository, reference));
    }

    @Override
    public List<Optional<Manifest>> resolveAll(String repository, List<String> references) {
        return delegate.resolveAll(base, references.stream().map(reference -> stored(repository, reference)).toList());
    }

    @Override
    public Optional<Manifest> resolveFresh(String repository, String tag) {
        return delegate.resolveFresh(base, tags.encode(repository, tag));
    }

    @Override
    public Stamped<Optional<Manifest>> resolveStamped(String repository, String reference) {
        return delegate.resolveStamped(base, stored(repository, reference));
    }

    @Override
    public boolean isCurrentResolution(String repository, String reference, Generation generation) {
        return delegate.isCurrentResolution(base, stored(repository, reference), generation);
    }

    @Override
    public boolean exists(String repository, String tag) {
        return delegate.exists(base, tags.encode(repository, tag));
    }

    @Override
    public InputStream openBlob(String repository, Digest digest) {
        return delegate.openBlob(base, digest);
    }

    @Override
    public ChunkSource readBlob(String repository, Digest digest) {
        return delegate.readBlob(base, digest);
    }

    @Override
    public ChunkSource readBlob(String repository, Descriptor blob) {
        return delegate.readBlob(base, blob);
    }

    @Override
    public boolean readsBlobInParts(String repository, Digest digest) {
        return delegate.readsBlobInParts(base, digest);
    }

    @Override
    public Optional<URI> directBlobUrl(String repository, Digest digest) {
        return delegate.directBlobUrl(base, digest);
    }

    @Override
    public Manifest push(String repository, String tag, Artifact artifact, boolean overwrite) {
        Map<String, String> annotations = new LinkedHashMap<>(artifact.annotations());
        annotations.put(FlatTags.REFERENCE_ANNOTATION, tags.reference(repository, tag));
        Artifact annotated = new Artifact(artifact.artifactType(), artifact.layers(), annotations);
        return delegate.push(base, tags.encode(repository, tag), annotated, overwrite);
    }

    @Override
    public boolean delete(String repository, String tag) {
        return delegate.delete(base, tags.encode(repository, tag));
    }

    @Override
    public String describe() {
        return delegate.describe() + " (flat in " + base + ")";
    }

    /** Digests stay as they are: they name content, which is the base repository's. */
    private String stored(String repository, String reference) {
        return reference.startsWith("sha256:") || reference.startsWith("sha512:") ? reference : tags.encode(repository, reference);
    }
}
