package dev.wharf.terraform.mirror;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Small provider zips made by the tests: file entries only unless a directory entry is asked for. */
final class TestZips {
    private TestZips() {
    }

    static Path write(Path zip, Map<String, String> files) throws IOException {
        Files.createDirectories(zip.getParent());
        try (OutputStream out = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(out, StandardCharsets.UTF_8)) {
            for (Map.Entry<String, String> file : files.entrySet()) {
                ZipEntry entry = new ZipEntry(file.getKey());
                entry.setLastModifiedTime(FileTime.fromMillis(0));
                z.putNextEntry(entry);
                if (!file.getKey().endsWith("/")) {
                    z.write(file.getValue().getBytes(StandardCharsets.UTF_8));
                }
                z.closeEntry();
            }
        }
        return zip;
    }

    /** A provider zip as a release would carry it: the executable plus a few other files. */
    static Path provider(Path zip, String type, String version, String flavour) throws IOException {
        return write(zip, new java.util.TreeMap<>(Map.of(
                "terraform-provider-" + type + "_v" + version, "#!/bin/sh\necho " + flavour + "\n",
                "LICENSE", "licence text " + flavour + "\n",
                "docs/index.md", "# " + type + " " + flavour + "\n",
                "Zeta.txt", "upper case sorts first\n",
                "ünïcode.txt", "utf-8 names sort by their bytes\n")));
    }
}
