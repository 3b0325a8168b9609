package dev.wharf.terraform.publish;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wharf.oci.IoFailures;
import dev.wharf.terraform.layout.ProviderFile;
import dev.wharf.terraform.provider.Sha256Sums;
import dev.wharf.terraform.upload.UploadException;
import dev.wharf.terraform.upload.VersionExistsException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * {@code upload provider --server}: sends the SHA256SUMS, its {@code .sig} and the files it lists
 * (or those given) as one multipart PUT. The server runs every check before storing anything.
 */
public final class HttpProviderPublish {
    private final PublishClient client;

    public HttpProviderPublish(PublishClient client) {
        this.client = client;
    }

    /** Returns false when the release exists and {@code ignoreExisting} skipped it. */
    public boolean publish(String namespace, Path sumsFile, List<Path> archives, boolean ignoreExisting, Consumer<String> log) {
        ProviderFile sums = ProviderFile.parse(String.valueOf(sumsFile.getFileName()))
                .filter(f -> f.kind() == ProviderFile.Kind.SHA256SUMS)
                .orElseThrow(() -> new UploadException(sumsFile + " is not named terraform-provider-NAME_VERSION_SHA256SUMS"));
        List<Path> files = new ArrayList<>(List.of(sumsFile, sumsFile.resolveSibling(sumsFile.getFileName() + ".sig")));
        if (archives.isEmpty()) {
            try {
                Sha256Sums.parse(Files.readAllBytes(sumsFile), sumsFile.toString()).entries().keySet()
                        .forEach(entry -> files.add(sumsFile.resolveSibling(entry)));
            } catch (IOException e) {
                throw new UploadException(IoFailures.cannotRead(sumsFile, e));
            } catch (IllegalArgumentException e) {
                throw new UploadException(String.valueOf(e.getMessage()));
            }
        } else {
            files.addAll(archives);
        }
        try {
            JsonNode answer = client.putFiles(PublishApi.PREFIX + "/providers/" + HttpModuleTarget.seg(namespace) + "/"
                    + HttpModuleTarget.seg(sums.name()) + "/" + HttpModuleTarget.seg(sums.version()), files, "key_id", "files");
            log.accept("published provider " + namespace + "/" + sums.name() + " " + sums.version() + " (" + answer.path("files").size()
                    + " files, key " + answer.path("key_id").asText() + ") through the server");
            return true;
        } catch (VersionExistsException e) {
            // A lost race is not skipped, as a local upload does not skip it: what is stored is not this release.
            if (!ignoreExisting || e.lostRace()) {
                throw e;
            }
            log.accept(e.getMessage() + ", skipped");
            return false;
        }
    }
}
