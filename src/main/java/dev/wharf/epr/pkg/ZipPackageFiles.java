package dev.wharf.epr.pkg;

import dev.wharf.oci.archive.ArchiveLimits;
import dev.wharf.oci.archive.ArchiveRefusedException;
import dev.wharf.oci.archive.CentralDirectory;
import dev.wharf.oci.archive.EntryNames;
import dev.wharf.oci.archive.ZipInspector;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.apache.commons.io.input.BoundedInputStream;

/**
 * A package zip on disk, as EPR builds them: one root folder ({@code nginx-1.20.0/}) holding
 * {@code manifest.yml}. Read with random access, never loaded whole. A zip with an entry name the
 * shared rule refuses ({@link EntryNames}: absolute, {@code ..}, backslash, NUL) is refused outright:
 * such a zip was made to attack whoever unpacks it. {@link #checkSafety} inflates it all once.
 */
public final class ZipPackageFiles implements PackageFiles {
    private static final Pattern REPEATED_SLASHES = Pattern.compile("/+");
    private final Path path;
    private final ZipFile zip;
    private final String root;
    private final Map<String, ZipEntry> files = new LinkedHashMap<>();
    private final Set<String> dirs = new LinkedHashSet<>();

    public ZipPackageFiles(Path file) throws IOException, InvalidPackageException {
        this.path = file;
        try {
            this.zip = new ZipFile(file.toFile());
        } catch (ZipException e) {
            throw new InvalidPackageException("not a zip file: " + e.getMessage());
        }
        try {
            List<ZipEntry> entries = new ArrayList<>();
            List<String> names = new ArrayList<>();
            Enumeration<? extends ZipEntry> en = zip.entries();
            while (en.hasMoreElements()) {
                ZipEntry e = en.nextElement();
                checkEntryName(e.getName());
                entries.add(e);
                names.add(clean(e.getName()));
            }
            this.root = findRoot(entries, names);
            String prefix = root + "/";
            for (int i = 0; i < entries.size(); i++) {
                ZipEntry e = entries.get(i);
                String name = names.get(i);
                if (!name.startsWith(prefix)) {
                    continue;
                }
                String rel = name.substring(prefix.length());
                if (rel.isEmpty()) {
                    continue;
                }
                if (e.isDirectory()) {
                    dirs.add(rel);
                } else {
                    ZipEntry before = files.put(rel, e);
                    if (before != null) {
                        throw twice(rel, before, e);
                    }
                    for (int slash = rel.indexOf('/'); slash > 0; slash = rel.indexOf('/', slash + 1)) {
                        dirs.add(rel.substring(0, slash));
                    }
                }
            }
        } catch (InvalidPackageException | RuntimeException e) {
            zip.close();
            throw e;
        }
    }

    /**
     * Two entries that name one file once cleaned ({@code a//b}, {@code ./a/b}, {@code a/b}): readers
     * differ on which they take (Fleet's zip reader keeps the name as written and looks up the plain
     * one, Go's {@code archive/zip}, which EPR reads with, refuses to open either), so the file checked
     * here could be another than the one a client installs.
     */
    private static InvalidPackageException twice(String rel, ZipEntry first, ZipEntry second) {
        return new InvalidPackageException("zip entries '" + EntryNames.printable(first.getName()) + "' and '"
                + EntryNames.printable(second.getName()) + "' are both the file " + rel
                + " of the package; readers differ on which one they take");
    }

    static void checkEntryName(String name) throws InvalidPackageException {
        Optional<String> problem = EntryNames.problem(name);
        if (problem.isPresent()) {
            throw new InvalidPackageException("zip entry '" + EntryNames.printable(name) + "' " + problem.get());
        }
    }

    @Override
    public void checkSafety(ArchiveLimits limits) throws InvalidPackageException, IOException {
        try {
            new ZipInspector(limits).inspect(path);
        } catch (ArchiveRefusedException e) {
            throw new InvalidPackageException("zip refused: " + e.getMessage());
        }
    }

    private static String clean(String name) {
        String n = name.replace('\\', '/');
        while (n.startsWith("./")) {
            n = n.substring(2);
        }
        while (n.endsWith("/")) {
            n = n.substring(0, n.length() - 1);
        }
        // Most names have no repeated slash: no pattern compiled for them (one per entry was a tenth of opening a zip).
        if (n.contains("//")) {
            n = REPEATED_SLASHES.matcher(n).replaceAll("/");
        }
        return n.replace("/./", "/");
    }

    /** {@code names}: each entry's name, cleaned. */
    private static String findRoot(List<ZipEntry> entries, List<String> names) throws InvalidPackageException {
        for (int i = 0; i < entries.size(); i++) {
            String[] parts = names.get(i).split("/");
            if (parts.length == 2 && parts[1].equals("manifest.yml") && !entries.get(i).isDirectory()) {
                return parts[0];
            }
        }
        throw new InvalidPackageException("no {name}-{version}/manifest.yml in the zip: cannot find the package root");
    }

    /** The root folder inside the zip, {@code nginx-1.20.0} for a well-built package. */
    public String rootFolder() {
        return root;
    }

    @Override
    public List<String> files() {
        return List.copyOf(files.keySet());
    }

    @Override
    public List<String> directories() {
        return List.copyOf(dirs);
    }

    @Override
    public boolean isFile(String path) {
        return files.containsKey(path);
    }

    @Override
    public boolean isDirectory(String path) {
        return dirs.contains(path);
    }

    @Override
    public long size(String path) throws IOException {
        return entry(path).getSize();
    }

    /** The entry's name as the zip writes it, to find it again in another opening of the same zip. */
    String entryName(String path) throws IOException {
        return entry(path).getName();
    }

    /** When the entry says it was last changed, if it says ({@link ZipEntryTime}: as EPR reads it). */
    public Optional<Instant> modified(String path) throws IOException {
        return ZipEntryTime.of(entry(path), this::rawDosTime);
    }

    @Override
    public InputStream open(String path) throws IOException {
        // Never more than the entry declares: the size answers are given by, and the check counted.
        ZipEntry e = entry(path);
        return BoundedInputStream.builder().setInputStream(zip.getInputStream(e)).setMaxCount(e.getSize()).get();
    }

    /** The entry's DOS date and time as its central directory record stores them, which java.util.zip hands out only converted. */
    private long rawDosTime(ZipEntry entry) throws IOException {
        long[] found = {-1};
        CentralDirectory.read(this.path, record -> {
            if (found[0] < 0 && record.name().equals(entry.getName())) {
                found[0] = record.dosTime();
            }
        });
        if (found[0] < 0) {
            throw new IOException("package zip " + this.path + " has no central directory record named '" + entry.getName() + "'");
        }
        return found[0];
    }

    private ZipEntry entry(String path) throws IOException {
        ZipEntry e = files.get(path);
        if (e == null) {
            throw new NoSuchFileException(path);
        }
        return e;
    }

    @Override
    public void close() throws IOException {
        zip.close();
    }
}
