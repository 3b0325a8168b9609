package dev.wharf.terraform.provider;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.Descriptor;
import dev.wharf.oci.Digest;
import dev.wharf.oci.Generation;
import dev.wharf.oci.Generations;
import dev.wharf.oci.Manifest;
import dev.wharf.oci.Stamped;
import dev.wharf.terraform.layout.TerraformLayout;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A namespace's signing keys as storage holds them: {@code signing-keys.json} together with the
 * single-key tags beside it ({@link TerraformLayout#signingKeyTag}). A writer's read-merge-write of
 * the list can be overtaken by another writer's older list, so a key is durable only in its own
 * tag; the list alone may lack a key for a while. Each file is parsed once by digest and kept,
 * since it cannot change.
 */
final class SigningKeysReader {
    /** A union handed out, with the generations of the lookups it was built from: the list, the tag list, each key tag. */
    private record Assembled(String repository, List<String> keyTags, List<Generation> seen, Stamped<Optional<SigningKeys>> answer) {
        boolean current(ArtifactStore store) {
            if (!store.isCurrentResolution(repository, TerraformLayout.SIGNING_KEYS_TAG, seen.get(0))
                    || !store.isCurrentTagList(repository, seen.get(1))) {
                return false;
            }
            for (int i = 0; i < keyTags.size(); i++) {
                if (!store.isCurrentResolution(repository, keyTags.get(i), seen.get(i + 2))) {
                    return false;
                }
            }
            return true;
        }
    }

    private final ArtifactStore store;
    private final TerraformLayout layout;
    private final ObjectMapper json;
    private final SmallFiles files;
    private final Generations generations;
    private final Cache<Digest, SigningKeys> keys = Caffeine.newBuilder().maximumSize(10_000).recordStats().build();
    private final Cache<String, Assembled> assembled = Caffeine.newBuilder().maximumSize(10_000).build();

    SigningKeysReader(ArtifactStore store, TerraformLayout layout, ObjectMapper json, SmallFiles files, Generations generations) {
        this.store = store;
        this.layout = layout;
        this.json = json;
        this.files = files;
        this.generations = generations;
    }

    Cache<Digest, SigningKeys> cache() {
        return keys;
    }

    /** The keys through the store's caches; the generation stays while the lookups behind it keep theirs. */
    Stamped<Optional<SigningKeys>> stamped(String namespace) {
        ProviderNames.checkNamespace(namespace);
        String repository = layout.signingKeysRepository(namespace);
        Stamped<Optional<Manifest>> list = store.resolveStamped(repository, TerraformLayout.SIGNING_KEYS_TAG);
        Stamped<List<String>> tags = store.listTagsStamped(repository);
        List<String> keyTags = keyTags(tags.value());
        List<Generation> seen = new ArrayList<>(List.of(list.generation(), tags.generation()));
        List<Optional<Manifest>> single = new ArrayList<>();
        for (String tag : keyTags) {
            Stamped<Optional<Manifest>> found = store.resolveStamped(repository, tag);
            seen.add(found.generation());
            single.add(found.value());
        }
        Assembled known = assembled.getIfPresent(repository);
        if (known != null && known.keyTags().equals(keyTags) && seen.stream().allMatch(Generation::isCached) && known.seen().equals(seen)) {
            return known.answer();
        }
        Stamped<Optional<SigningKeys>> answer = new Stamped<>(union(repository, list.value(), single), generations.next());
        assembled.put(repository, new Assembled(repository, keyTags, List.copyOf(seen), answer));
        return answer;
    }

    /** Told from memory alone: never waits. */
    boolean isCurrent(String namespace, Generation answer) {
        Assembled known = assembled.getIfPresent(layout.signingKeysRepository(namespace));
        return known != null && known.answer().generation().equals(answer) && known.current(store);
    }

    /** The keys as storage holds them now, past any cache: for writers and for checks against keys just added. */
    Optional<SigningKeys> fresh(String namespace) {
        ProviderNames.checkNamespace(namespace);
        String repository = layout.signingKeysRepository(namespace);
        Optional<Manifest> list = store.resolveFresh(repository, TerraformLayout.SIGNING_KEYS_TAG);
        List<Optional<Manifest>> single = new ArrayList<>();
        for (String tag : keyTags(store.listTagsFresh(repository))) {
            single.add(store.resolveFresh(repository, tag));
        }
        return union(repository, list, single);
    }

    private static List<String> keyTags(List<String> tags) {
        return tags.stream().filter(TerraformLayout::isSigningKeyTag).sorted().toList();
    }

    /** The list's keys, then each single key it does not hold as it is (a single key replaces one of the same id). */
    private Optional<SigningKeys> union(String repository, Optional<Manifest> list, List<Optional<Manifest>> single) {
        Optional<SigningKeys> keys = list.map(m -> parsed(repository, m));
        for (Optional<Manifest> manifest : single) {
            if (manifest.isEmpty()) {
                continue;
            }
            SigningKeys more = parsed(repository, manifest.get());
            SigningKeys merged = keys.orElse(new SigningKeys(List.of()));
            for (SigningKeys.GpgPublicKey key : more.gpgPublicKeys()) {
                if (!merged.holds(key)) {
                    merged = merged.with(key);
                }
            }
            keys = Optional.of(merged);
        }
        return keys;
    }

    /** The keys of a signing-keys.json manifest (or of a single-key tag, stored in the same form) found in {@code repository}. */
    SigningKeys parsed(String repository, Manifest manifest) {
        Descriptor layer = SmallFiles.firstLayer(manifest, TerraformLayout.SIGNING_KEYS_TAG);
        return keys.get(layer.digest(), d -> parse(files.read(repository, layer), repository));
    }

    private SigningKeys parse(byte[] content, String repository) {
        try {
            return json.readValue(content, SigningKeys.class);
        } catch (IOException e) {
            throw new ProviderException(ProviderException.Reason.BROKEN_RELEASE, "signing-keys.json in " + repository
                    + " is not valid JSON of the form {\"gpg_public_keys\":[…]}: " + e.getMessage());
        }
    }
}
