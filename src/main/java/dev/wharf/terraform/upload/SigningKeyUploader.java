package dev.wharf.terraform.upload;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.oci.Artifact;
import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.BlobSource;
import dev.wharf.oci.IoFailures;
import dev.wharf.oci.Layer;
import dev.wharf.oci.StandardAnnotations;
import dev.wharf.oci.TagLocks;
import dev.wharf.terraform.TerraformNames;
import dev.wharf.terraform.layout.MediaTypes;
import dev.wharf.terraform.layout.TerraformLayout;
import dev.wharf.terraform.provider.ProviderService;
import dev.wharf.terraform.provider.SignatureException;
import dev.wharf.terraform.provider.SignatureVerifier;
import dev.wharf.terraform.provider.SigningKeys;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code upload signing-key}: adds an ASCII-armored public key to a namespace's
 * {@code signing-keys.json} (creating it), replacing a key with the same id. The list is a living
 * document, so this is the one tag Wharf rewrites.
 *
 * <p>A registry has no conditional tag PUT, so two writers that read the list at once would each
 * write what they read plus their own key, and the later write would drop the earlier key. Writers
 * in this process take turns (one lock per namespace); against other processes and replicas each
 * write is followed by a pause of {@value #SETTLE_FACTOR} times the read-and-write it took (a
 * writer that read before ours landed has written by then, unless it is that much slower) and a
 * fresh read: if our key is gone, the list is merged and written again, at most
 * {@value #MAX_WRITES} times. A key already there (same id, same armor) is a no-op.
 */
public final class SigningKeyUploader {
    static final int SETTLE_FACTOR = 4;
    static final int MAX_WRITES = 5;
    /**
     * The floor of that pause. A writer in a process that has just started is the slow one: its first
     * read-to-write runs cold code, and it lost another process's key when the warm writer's pause was
     * 4 x 50 ms (ConcurrentSigningKeysTest, session 9). Keys are added rarely; a second each costs nothing.
     */
    private static final long MIN_SETTLE_NANOS = 1_000_000_000L;

    private final ArtifactStore store;
    private final TerraformLayout layout;
    private final ProviderService providers;
    private final ObjectMapper json;
    private final TagLocks locks = new TagLocks();

    public SigningKeyUploader(ArtifactStore store, TerraformLayout layout, ProviderService providers, ObjectMapper json) {
        this.store = store;
        this.layout = layout;
        this.providers = providers;
        this.json = json;
    }

    /** Returns the key id added. */
    public String add(String namespace, Path armoredKey) {
        TerraformNames.checkNamespace(namespace).ifPresent(m -> {
            throw new UploadException("--namespace: " + m);
        });
        return addArmored(namespace, armorIn(armoredKey, armoredKey.toString()), armoredKey.toString());
    }

    /**
     * The text of an armored key in {@code file}; a key that is not text (the binary form {@code gpg --export}
     * writes without {@code --armor}) is refused as not armored, not as a file that cannot be read.
     */
    public static String armorIn(Path file, String source) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw new UploadException(source + ": not an ASCII-armored OpenPGP public key: it is not text, as a binary key is"
                    + " (export it with gpg --armor --export KEYID)");
        } catch (IOException e) {
            throw new UploadException(IoFailures.cannotRead(file, e));
        }
    }

    /** Adds an armored key read from {@code source} (named in errors); returns its key id. */
    public String addArmored(String namespace, String armor, String source) {
        TerraformNames.checkNamespace(namespace).ifPresent(m -> {
            throw new UploadException("--namespace: " + m);
        });
        String keyId;
        try {
            keyId = SignatureVerifier.primaryKeyId(armor);
        } catch (SignatureException e) {
            throw new UploadException(source + ": " + e.getMessage() + " (export it with gpg --armor --export KEYID)");
        }
        SigningKeys.GpgPublicKey key = new SigningKeys.GpgPublicKey(keyId, armor);
        String repository = layout.signingKeysRepository(namespace);
        try (TagLocks.Held held = locks.hold(repository, TerraformLayout.SIGNING_KEYS_TAG)) {
            for (int writes = 0; ; writes++) {
                long started = System.nanoTime();
                SigningKeys current = providers.freshSigningKeys(namespace).orElse(new SigningKeys(List.of()));
                if (current.holds(key)) {
                    return keyId;
                }
                if (writes == MAX_WRITES) {
                    throw new UploadException("key " + keyId + " was written to " + TerraformLayout.SIGNING_KEYS_TAG + " of namespace "
                            + namespace + " " + MAX_WRITES + " times and replaced by other writers each time; add it again");
                }
                write(repository, current.with(key));
                settle(Math.max(MIN_SETTLE_NANOS, (System.nanoTime() - started) * SETTLE_FACTOR));
            }
        }
    }

    private void write(String repository, SigningKeys keys) {
        byte[] content;
        try {
            content = json.writerWithDefaultPrettyPrinter().writeValueAsBytes(keys);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write signing-keys.json", e);
        }
        Layer layer = Layer.file(MediaTypes.SIGNING_KEYS, TerraformLayout.SIGNING_KEYS_TAG, BlobSource.ofBytes(content));
        store.push(repository, TerraformLayout.SIGNING_KEYS_TAG,
                new Artifact(MediaTypes.SIGNING_KEYS_ARTIFACT, List.of(layer), Map.of(StandardAnnotations.TITLE, TerraformLayout.SIGNING_KEYS_TAG)),
                true);
    }

    /** A fixed wait before the read-back, not a poll: nothing tells when another writer is done. */
    private static void settle(long nanos) {
        try {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UploadException("interrupted while adding a signing key");
        }
    }
}
