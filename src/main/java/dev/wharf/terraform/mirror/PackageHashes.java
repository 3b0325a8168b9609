package dev.wharf.terraform.mirror;

import dev.wharf.oci.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * The two hashes terraform records for a provider package: {@code h1:} ("dirhash Hash1" over the
 * files the zip unpacks to) and {@code zh:} (hex SHA-256 of the zip itself).
 *
 * <p>{@code h1:} is SHA-256 over one line per file, {@code hex(sha256(content)) + "  " + name + "\n"},
 * the files ordered by the bytes of their UTF-8 names, base64 with padding. Terraform unpacks the zip
 * before hashing, so directory entries do not count.
 */
public record PackageHashes(String h1, String zh) {
    public static final String H1 = "h1:";
    public static final String ZH = "zh:";

    public PackageHashes {
        if (!h1.startsWith(H1) || !zh.startsWith(ZH)) {
            throw new IllegalArgumentException("hashes must carry their h1:/zh: prefix");
        }
    }

    /** Both hashes, in the order terraform lists them. */
    public List<String> asList() {
        return List.of(h1, zh);
    }

    /**
     * Hashes a provider zip, streaming each entry from the file: nothing of the zip is held in memory
     * beyond its central directory.
     */
    public static PackageHashes of(Path zip) {
        return new PackageHashes(h1Of(zip), zhOf(zip));
    }

    public static String zhOf(Path zip) {
        MessageDigest sha = Digest.newSha256();
        try (InputStream in = new DigestInputStream(Files.newInputStream(zip), sha)) {
            in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + zip, e);
        }
        return ZH + HexFormat.of().formatHex(sha.digest());
    }

    public static String h1Of(Path zip) {
        try (ZipFile file = new ZipFile(zip.toFile(), StandardCharsets.UTF_8)) {
            List<ZipEntry> entries = fileEntries(file, zip);
            MessageDigest summary = Digest.newSha256();
            for (ZipEntry entry : entries) {
                MessageDigest sha = Digest.newSha256();
                try (InputStream in = new DigestInputStream(file.getInputStream(entry), sha)) {
                    in.transferTo(OutputStream.nullOutputStream());
                }
                String line = HexFormat.of().formatHex(sha.digest()) + "  " + entry.getName() + "\n";
                summary.update(line.getBytes(StandardCharsets.UTF_8));
            }
            return H1 + Base64.getEncoder().encodeToString(summary.digest());
        } catch (ZipException e) {
            throw new PackageException(zip.getFileName() + " is not a readable zip archive: " + e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + zip, e);
        }
    }

    private static List<ZipEntry> fileEntries(ZipFile file, Path zip) {
        List<ZipEntry> entries = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Enumeration<? extends ZipEntry> all = file.entries();
        while (all.hasMoreElements()) {
            ZipEntry entry = all.nextElement();
            if (entry.isDirectory()) {
                continue;
            }
            String name = entry.getName();
            if (name.contains("\n")) {
                throw new PackageException(zip.getFileName() + " has an entry whose name contains a newline");
            }
            if (!names.add(name)) {
                throw new PackageException(zip.getFileName() + " lists '" + name + "' twice");
            }
            entries.add(entry);
        }
        entries.sort((a, b) -> Arrays.compareUnsigned(utf8(a.getName()), utf8(b.getName())));
        return entries;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
