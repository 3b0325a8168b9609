package dev.wharf.terraform.ui;

import dev.wharf.terraform.mirror.MirrorCatalog.MirroredHost;
import dev.wharf.terraform.mirror.MirrorCatalog.MirroredProvider;
import dev.wharf.terraform.mirror.MirrorCatalog.MirroredVersion;
import java.util.List;
import java.util.Optional;

/**
 * The network mirror page: how terraform is pointed at the mirror, then per origin host the
 * providers it holds with their versions (newest first) and each version's platforms.
 *
 * @param hosts    empty when the mirror holds nothing, or when the registry cannot list ({@code unlisted} says why)
 */
record MirrorView(List<MirroredHost> hosts, String host, Optional<String> unlisted) {

    String body() {
        StringBuilder out = new StringBuilder();
        out.append("<h1>Network mirror</h1>\n<p>Terraform installs these providers from this registry when its CLI configuration")
                .append(" names the mirror:</p>\n<pre><code>provider_installation {\n  network_mirror {\n    url = \"https://")
                .append(Html.text(host)).append("/v1/mirror/\"\n  }\n}</code></pre>\n");
        unlisted.ifPresent(why -> out.append("<p class=\"note\">").append(Html.text(why)).append("</p>\n"));
        if (hosts.isEmpty() && unlisted.isEmpty()) {
            out.append("<p>The mirror holds no providers yet.</p>\n");
        }
        for (MirroredHost origin : hosts) {
            String id = "host-" + origin.hostname().replaceAll("[^a-z0-9-]", "-");
            out.append("<h2 id=\"").append(Html.text(id)).append("\">").append(Html.text(origin.hostname())).append("</h2>\n")
                    .append("<table aria-labelledby=\"").append(Html.text(id)).append("\">\n<thead><tr><th scope=\"col\">Provider</th>")
                    .append("<th scope=\"col\">Version</th><th scope=\"col\">Platforms</th></tr></thead>\n<tbody>\n");
            for (MirroredProvider provider : origin.providers()) {
                String name = provider.provider().namespace() + "/" + provider.provider().type();
                for (MirroredVersion version : provider.versions()) {
                    out.append("<tr><td>").append(Html.text(name)).append("</td><td>").append(Html.text(version.version()))
                            .append("</td><td>").append(Html.text(String.join(", ", version.platforms()))).append("</td></tr>\n");
                }
            }
            out.append("</tbody>\n</table>\n");
        }
        return out.toString();
    }
}
