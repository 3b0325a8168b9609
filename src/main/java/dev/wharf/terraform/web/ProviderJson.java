package dev.wharf.terraform.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wharf.terraform.layout.ProviderFile;
import dev.wharf.terraform.provider.ProviderAddress;
import dev.wharf.terraform.provider.ProviderPackage;
import dev.wharf.terraform.provider.ProviderVersion;
import java.util.List;

/** The bodies of the provider protocol's answers: the versions list and one platform's download. */
final class ProviderJson {
    private final ObjectMapper json;
    private final FileUrls urls;

    ProviderJson(ObjectMapper json, FileUrls urls) {
        this.json = json;
        this.urls = urls;
    }

    ObjectNode versions(List<ProviderVersion> answer) {
        ObjectNode body = json.createObjectNode();
        ArrayNode list = body.putArray("versions");
        for (ProviderVersion v : answer) {
            ObjectNode entry = list.addObject();
            entry.put("version", v.version());
            ArrayNode protocols = entry.putArray("protocols");
            v.protocols().forEach(protocols::add);
            ArrayNode platforms = entry.putArray("platforms");
            for (ProviderFile.Platform p : v.platforms()) {
                platforms.addObject().put("os", p.os()).put("arch", p.arch());
            }
        }
        return body;
    }

    ObjectNode download(ProviderAddress provider, ProviderPackage pkg) {
        ObjectNode body = json.createObjectNode();
        ArrayNode protocols = body.putArray("protocols");
        pkg.protocols().forEach(protocols::add);
        ProviderFile.Platform platform = pkg.archive().platform().orElseThrow();
        body.put("os", platform.os());
        body.put("arch", platform.arch());
        body.put("filename", pkg.archive().fileName());
        body.put("download_url", urls.providerFile(provider, pkg.archive().fileName()));
        body.put("shasums_url", urls.providerFile(provider, pkg.sha256Sums().fileName()));
        body.put("shasums_signature_url", urls.providerFile(provider, pkg.signature().fileName()));
        body.put("shasum", pkg.shasum());
        body.set("signing_keys", json.valueToTree(pkg.signingKeys()));
        return body;
    }
}
