package dev.wharf.terraform.ui;

import dev.wharf.terraform.layout.ProviderFile.Platform;
import dev.wharf.terraform.provider.ProviderAddress;
import dev.wharf.terraform.provider.ProviderVersion;
import dev.wharf.terraform.provider.SigningKeys;
import java.util.List;
import java.util.Optional;

/** A provider page: its versions with protocols and platforms, its namespace's signing key ids, a required_providers snippet. */
record ProviderView(ProviderAddress provider, List<ProviderVersion> versions, Optional<SigningKeys> keys, String host) {

    String body() {
        StringBuilder out = new StringBuilder();
        out.append("<h1>").append(Html.text(provider.toString())).append("</h1>\n");
        out.append("<h2>Usage</h2>\n<pre><code>terraform {\n  required_providers {\n    ").append(Html.text(provider.name()))
                .append(" = {\n      source  = \"").append(Html.text(host + "/" + provider)).append("\"\n      version = \"")
                .append(Html.text(versions.get(0).version())).append("\"\n    }\n  }\n}</code></pre>\n");

        out.append("<h2>Versions</h2>\n<table>\n<thead><tr><th scope=\"col\">Version</th><th scope=\"col\">Protocols</th>")
                .append("<th scope=\"col\">Platforms</th></tr></thead>\n<tbody>\n");
        for (ProviderVersion version : versions) {
            out.append("<tr><td>").append(Html.text(version.version())).append("</td><td>")
                    .append(Html.text(String.join(", ", version.protocols()))).append("</td><td>")
                    .append(Html.text(String.join(", ", version.platforms().stream().map(ProviderView::platform).toList())))
                    .append("</td></tr>\n");
        }
        out.append("</tbody>\n</table>\n");

        out.append("<h2>Signing keys</h2>\n");
        List<String> ids = keys.map(k -> k.gpgPublicKeys().stream().map(SigningKeys.GpgPublicKey::keyId).toList()).orElse(List.of());
        if (ids.isEmpty()) {
            out.append("<p class=\"note\">Namespace ").append(Html.text(provider.namespace()))
                    .append(" has no signing keys: terraform cannot verify these releases.</p>\n");
        } else {
            out.append("<ul>\n");
            ids.forEach(id -> out.append("<li><code>").append(Html.text(id)).append("</code></li>\n"));
            out.append("</ul>\n");
        }
        return out.toString();
    }

    private static String platform(Platform platform) {
        return platform.os() + "_" + platform.arch();
    }
}
