package dev.wharf.terraform.web;

import dev.wharf.oci.Digest;
import dev.wharf.testing.PgpKeys;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** What the API scenarios upload, written to disk as a publisher would: a module folder and a signed provider release. */
final class TerraformReleases {
    private TerraformReleases() {
    }

    /** A module folder under {@code dir}, acme/vpc/aws at {@code version}, as the upload command reads one. */
    static Path moduleDir(Path dir, String version) throws Exception {
        Path m = Files.createDirectories(dir.resolve("modules").resolve(version));
        Files.writeString(m.resolve("boring-registry.hcl"),
                "metadata {\n namespace = \"acme\"\n name = \"vpc\"\n provider = \"aws\"\n version = \"" + version + "\"\n}\n");
        Files.writeString(m.resolve("main.tf"), "output \"v\" { value = \"" + version + "\" }\n");
        return m;
    }

    /** A signed release; with {@code payload} > 0 each zip also stores that many random bytes. */
    static Path release(Path dir, String version, PgpKeys key, List<String> platforms, boolean directoryEntry, int payload) throws Exception {
        Path releaseDir = Files.createDirectories(dir.resolve("release-" + version));
        StringBuilder sums = new StringBuilder();
        for (String platform : platforms) {
            String name = "terraform-provider-dummy_" + version + "_" + platform + ".zip";
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (ZipOutputStream zip = new ZipOutputStream(out)) {
                if (directoryEntry) {
                    zip.putNextEntry(new ZipEntry("docs/"));
                    zip.closeEntry();
                }
                zip.putNextEntry(new ZipEntry("terraform-provider-dummy_v" + version));
                zip.write(("#!/bin/sh\necho " + platform + "\n").getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
                if (payload > 0) {
                    byte[] random = new byte[payload];
                    new java.util.Random(payload).nextBytes(random);
                    zip.putNextEntry(new ZipEntry("payload.bin"));
                    zip.write(random);
                    zip.closeEntry();
                }
            }
            Files.write(releaseDir.resolve(name), out.toByteArray());
            sums.append(Digest.sha256(out.toByteArray()).hex()).append("  ").append(name).append('\n');
        }
        Path sumsFile = releaseDir.resolve("terraform-provider-dummy_" + version + "_SHA256SUMS");
        Files.writeString(sumsFile, sums);
        Files.write(releaseDir.resolve(sumsFile.getFileName() + ".sig"), key.detachedSignature(Files.readAllBytes(sumsFile)));
        return sumsFile;
    }
}
