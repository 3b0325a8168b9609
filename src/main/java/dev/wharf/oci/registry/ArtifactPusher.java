package dev.wharf.oci.registry;

import dev.wharf.oci.Artifact;
import dev.wharf.oci.ArtifactConfig;
import dev.wharf.oci.Descriptor;
import dev.wharf.oci.Digest;
import dev.wharf.oci.Layer;
import dev.wharf.oci.Manifest;
import dev.wharf.oci.ManifestCodec;
import dev.wharf.oci.StorageException;
import dev.wharf.oci.StorageException.Kind;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * {@link RegistryArtifactStore#push}: every blob first (a HEAD skips those present; a blob seen in another
 * repository is mounted from there), then the config, then the manifest under its tag, which makes the artifact
 * visible in one step; in the portable form ({@link PortableManifests}) when the registry refuses the artifact's.
 */
final class ArtifactPusher {
    private final RegistryTransport transport;
    private final RegistryAddress address;
    private final ManifestCodec codec = new ManifestCodec();
    private final ManifestPuller manifests;
    private final ManifestChecker manifestChecker;
    private final ManifestPusher manifestPusher;
    private final BlobPusher blobPusher;
    private final PortableManifests portable;

    ArtifactPusher(RegistryTransport transport, RegistryAddress address, ManifestPuller manifests, ManifestChecker manifestChecker,
                   ManifestPusher manifestPusher, BlobPusher blobPusher) {
        this.transport = transport;
        this.address = address;
        this.manifests = manifests;
        this.manifestChecker = manifestChecker;
        this.manifestPusher = manifestPusher;
        this.blobPusher = blobPusher;
        this.portable = new PortableManifests(address.toString());
    }

    Manifest push(String repository, String tag, Artifact artifact, boolean overwrite) {
        List<Descriptor> layers = new ArrayList<>();
        for (Layer layer : artifact.layers()) {
            Descriptor descriptor = blobPusher.describe(repository, layer);
            blobPusher.ensure(repository, descriptor.digest(), descriptor.size(), layer.content());
            layers.add(descriptor);
        }
        if (portable.first()) {
            return pushPortable(repository, tag, artifact, layers, overwrite);
        }
        try {
            return pushManifest(repository, tag, artifact.artifactType(), artifact.config(), artifact, layers, overwrite);
        } catch (PortableManifests.Refused refused) {
            Manifest stored = pushPortable(repository, tag, artifact, layers, overwrite);
            portable.learn(refused);
            return stored;
        }
    }

    private Manifest pushPortable(String repository, String tag, Artifact artifact, List<Descriptor> layers, boolean overwrite) {
        try {
            return pushManifest(repository, tag, null, ArtifactConfig.EMPTY, artifact, layers, overwrite);
        } catch (PortableManifests.Refused refused) {
            throw PortableManifests.refusedToo(refused, String.join(", ", layers.stream().map(Descriptor::mediaType).distinct().toList()));
        }
    }

    /** The config, then the manifest and its tag; the layers are already stored. */
    private Manifest pushManifest(String repository, String tag, @Nullable String artifactType, ArtifactConfig config, Artifact artifact,
                                  List<Descriptor> layers, boolean overwrite) {
        Descriptor configDescriptor = config.descriptor();
        blobPusher.ensure(repository, configDescriptor.digest(), configDescriptor.size(), config.source());
        byte[] manifestBytes = codec.encode(artifactType, configDescriptor, layers, artifact.annotations());
        if (!overwrite && manifestChecker.check(repository, tag, "check whether tag '" + tag + "' exists")) {
            throw new StorageException(Kind.TAG_EXISTS, "registry " + address + ", repository " + repository + ": the tag '"
                    + tag + "' already exists and is not overwritten; push under a new version or delete the old one first");
        }
        manifestPusher.push(repository, tag, manifestBytes, (answer, put, body) -> refusedOrUnexpected(answer, put, body,
                repository, tag, overwrite), () -> {
            for (int i = 0; i < layers.size(); i++) {
                blobPusher.ensure(repository, layers.get(i).digest(), layers.get(i).size(), artifact.layers().get(i).content());
            }
            blobPusher.ensure(repository, configDescriptor.digest(), configDescriptor.size(), config.source());
        });
        return codec.decode(Digest.sha256(manifestBytes), manifestBytes, Manifest.OCI_IMAGE_MANIFEST);
    }

    /**
     * A manifest PUT refused by the registry's tag-immutability setting is "already exists" once the
     * tag is seen to exist (another writer got there between our check and our PUT); anything else
     * is the registry's error as it is.
     */
    private StorageException refusedOrUnexpected(HttpResponse<InputStream> answer, RegistryCall put, byte[] body,
                                                 String repository, String tag, boolean overwrite) {
        Optional<String> setting = TagImmutability.refusal(answer.statusCode(), body);
        if (setting.isEmpty() || !tagVisible(repository, tag)) {
            StorageException said = transport.unexpected(answer, put, body);
            return setting.isEmpty() && PortableManifests.mayHelp(answer.statusCode(), body) ? new PortableManifests.Refused(said) : said;
        }
        if (overwrite) {
            return new StorageException(Kind.UNSUPPORTED, "registry " + address + ", repository " + repository
                    + ": the registry refused to replace the tag '" + tag + "' (" + setting.get()
                    + "); Wharf rewrites this tag, so exclude it from the rule");
        }
        return new StorageException(Kind.TAG_EXISTS, "registry " + address + ", repository " + repository + ": the tag '"
                + tag + "' already exists; the registry refused to overwrite it (" + setting.get() + ")");
    }

    /** Whether the tag can be read now; a failure to tell is "no", so the registry's own refusal is what gets reported. */
    private boolean tagVisible(String repository, String tag) {
        try {
            return manifests.pull(repository, tag).isPresent();
        } catch (StorageException e) {
            return false;
        }
    }
}
