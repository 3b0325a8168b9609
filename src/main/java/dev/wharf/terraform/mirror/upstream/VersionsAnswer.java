package dev.wharf.terraform.mirror.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wharf.terraform.provider.GoJsonNames;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * An upstream's answer to the provider registry protocol's versions request, read as terraform reads
 * it: with Go's encoding/json, so member names in any case ({@link GoJsonNames}) at every level
 * ({@code Versions}, {@code Version}, {@code Protocols}, {@code Platforms}, {@code OS}, {@code Arch}).
 */
final class VersionsAnswer {
    private VersionsAnswer() {
    }

    /** The versions and platforms {@code answer} (from {@code uri}) lists. */
    static List<UpstreamVersion> read(URI uri, JsonNode answer) {
        JsonNode versions = GoJsonNames.fold(answer, Set.of(), Set.of("versions")).path("versions");
        if (!versions.isArray()) {
            throw new UpstreamException(UpstreamException.Kind.BAD_RESPONSE, uri + " answered without a versions list");
        }
        List<UpstreamVersion> result = new ArrayList<>();
        for (JsonNode entry : versions) {
            JsonNode v = GoJsonNames.fold(entry, Set.of("version"), Set.of("protocols", "platforms"));
            List<String> platforms = new ArrayList<>();
            for (JsonNode p : v.path("platforms")) {
                JsonNode platform = GoJsonNames.fold(p, Set.of("os", "arch"), Set.of());
                platforms.add(platform.path("os").asText() + "_" + platform.path("arch").asText());
            }
            List<String> protocols = new ArrayList<>();
            v.path("protocols").forEach(p -> protocols.add(p.asText()));
            result.add(new UpstreamVersion(v.path("version").asText(), protocols, platforms));
        }
        return result;
    }
}
