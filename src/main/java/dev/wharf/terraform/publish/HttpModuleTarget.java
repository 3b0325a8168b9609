package dev.wharf.terraform.publish;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wharf.terraform.layout.ArchiveFormat;
import dev.wharf.terraform.upload.ModulePublication;
import dev.wharf.terraform.upload.ModuleTarget;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@code upload module --server}: each archive PUT to the server, which checks and stores it as a direct upload would. */
public final class HttpModuleTarget implements ModuleTarget {
    private final PublishClient client;

    public HttpModuleTarget(PublishClient client) {
        this.client = client;
    }

    /** Not asked on its own: {@link #storedVersions} tells, and the server answers 409 for a stored version anyway. */
    @Override
    public boolean exists(String namespace, String name, String provider, String version) {
        return false;
    }

    /**
     * Asked of the server ({@link PublishedVersionsApi}), so that a recursive upload finds every
     * stored version before it publishes any module; none from a server without that route, which
     * still refuses a stored version when it is published. An answer without the list is refused:
     * taken for "none stored", it had every module pushed as if the server held nothing.
     */
    @Override
    public List<String> storedVersions(String namespace, String name, String provider) {
        String checking = "the versions of module " + namespace + "/" + name + "/" + provider + " already published";
        Optional<JsonNode> answer = client.get(PublishApi.PREFIX + "/modules/" + seg(namespace) + "/" + seg(name) + "/" + seg(provider)
                + "/versions", checking);
        List<String> versions = new ArrayList<>();
        if (answer.isEmpty()) {
            return versions;
        }
        JsonNode list = answer.get().path("versions");
        if (!list.isArray()) {
            throw client.cannotCheck(checking, "its answer holds no list of versions: not the answer of a Wharf server");
        }
        for (JsonNode version : list) {
            if (!version.isTextual()) {
                throw client.cannotCheck(checking, "its list of versions holds " + version + ", not a version: not the answer of a Wharf server");
            }
            versions.add(version.asText());
        }
        return versions;
    }

    @Override
    public ModulePublication.Published publish(String where, String namespace, String name, String provider, String version,
                                               ArchiveFormat format, Path archive, Instant created) {
        JsonNode answer = client.putFile(PublishApi.PREFIX + "/modules/" + seg(namespace) + "/" + seg(name) + "/" + seg(provider)
                + "/" + seg(version), format.contentType(), archive, "digest", "size", "manifest_digest");
        return new ModulePublication.Published(namespace + "/" + name + "/" + provider, version, answer.path("digest").asText(),
                answer.path("size").asLong(), answer.path("manifest_digest").asText());
    }

    static String seg(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
