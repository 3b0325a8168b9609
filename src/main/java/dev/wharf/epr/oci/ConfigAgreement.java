package dev.wharf.epr.oci;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wharf.epr.model.Json;
import dev.wharf.epr.model.PackageDocument;
import dev.wharf.epr.pkg.InvalidPackageException;
import dev.wharf.epr.pkg.PackageReader;
import dev.wharf.epr.pkg.ZipPackageFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The check of a zip whose package was indexed from its config: the reader must accept it, with the
 * indexer's own settings, and make of it the document the config holds. The config is what a push
 * wrote; the zip is what Fleet installs. A config another tool wrote, or one written for another zip,
 * would otherwise list a package that the zip does not contain.
 */
final class ConfigAgreement implements ZipCheck {
    private final PackageReader reader;

    ConfigAgreement(PackageReader reader) {
        this.reader = reader;
    }

    @Override
    public void check(Path zip, CachedPackage entry) throws InvalidPackageException {
        PackageDocument read;
        try (ZipPackageFiles files = new ZipPackageFiles(zip)) {
            read = reader.read(files, entry.signatureDigest() != null);
        } catch (IOException e) {
            throw new InvalidPackageException("cannot read the package zip: " + e.getMessage(), e);
        }
        JsonNode fromZip = Json.mapper().valueToTree(read);
        JsonNode fromConfig = Json.mapper().valueToTree(entry.document());
        if (!fromZip.equals(fromConfig)) {
            throw new InvalidPackageException("the zip disagrees with the package config pushed with it (" + String.join(", ",
                    differing(fromZip, fromConfig)) + "); push the package again with package-registry push");
        }
    }

    /** The top-level fields the two documents do not share, for the message. */
    private static List<String> differing(JsonNode a, JsonNode b) {
        TreeSet<String> names = new TreeSet<>();
        a.fieldNames().forEachRemaining(names::add);
        b.fieldNames().forEachRemaining(names::add);
        List<String> differing = new ArrayList<>();
        for (String name : names) {
            JsonNode x = a.get(name);
            if (x == null ? b.get(name) != null : !x.equals(b.get(name))) {
                differing.add(name);
            }
        }
        return differing;
    }
}
