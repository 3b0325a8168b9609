package dev.wharf.terraform.web;

import dev.wharf.terraform.module.ModuleAddress;
import dev.wharf.terraform.provider.ProviderAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The file URLs the module and provider protocols hand out: paths under {@link #FILES}, each
 * segment encoded, signed with {@link FileUrlSigner} so that {@link FileRoutes} can check them.
 */
final class FileUrls {
    static final String FILES = "/v1/files";

    private final FileUrlSigner signer;

    FileUrls(FileUrlSigner signer) {
        this.signer = signer;
    }

    /** The {@code X-Terraform-Get} value of a module archive: terraform takes the archive type from its query. */
    String moduleArchive(ModuleAddress module, String version, String fileName) {
        String path = FILES + "/modules/" + seg(module.namespace()) + "/" + seg(module.name()) + "/" + seg(module.provider())
                + "/" + seg(version) + "/" + seg(fileName);
        String extension = fileName.endsWith(".zip") ? "zip" : "tar.gz";
        return path + "?archive=" + extension + "&" + signer.sign(path);
    }

    String providerFile(ProviderAddress provider, String fileName) {
        String path = FILES + "/providers/" + seg(provider.namespace()) + "/" + seg(provider.name()) + "/" + seg(fileName);
        return path + "?" + signer.sign(path);
    }

    private static String seg(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
