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
 * ({@code Versions}, {@code Version}, {@code Protocols}, {@code Platforms}, {@code OS}, {@code Arch}),
 * and a member of another type refused ({@link UpstreamJson}), never converted.
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
        for (int i = 0; i < versions.size(); i++) {
            String at = "versions[" + i + "]";
            JsonNode v = GoJsonNames.fold(UpstreamJson.object(versions.get(i), at, uri), Set.of("version"), Set.of("protocols", "platforms"));
            List<String> platforms = new ArrayList<>();
            JsonNode platformList = UpstreamJson.list(v, "platforms", at + ".", uri);
            for (int j = 0; j < platformList.size(); j++) {
                String platformAt = at + ".platforms[" + j + "]";
                JsonNode platform = GoJsonNames.fold(UpstreamJson.object(platformList.get(j), platformAt, uri), Set.of("os", "arch"), Set.of());
                platforms.add(UpstreamJson.text(platform, "os", platformAt + ".", uri) + "_" + UpstreamJson.text(platform, "arch", platformAt + ".", uri));
            }
            List<String> protocols = new ArrayList<>();
            JsonNode protocolList = UpstreamJson.list(v, "protocols", at + ".", uri);
            for (int j = 0; j < protocolList.size(); j++) {
                JsonNode protocol = protocolList.get(j);
                if (!protocol.isTextual() && !protocol.isNull()) {
                    throw UpstreamJson.wrongType(uri, at + ".protocols[" + j + "]", protocol, "a string");
                }
                protocols.add(protocol.isNull() ? "" : protocol.asText());
            }
            result.add(new UpstreamVersion(UpstreamJson.text(v, "version", at + ".", uri), protocols, platforms));
        }
        return result;
    }
}
