package dev.wharf.epr.fs;

import dev.wharf.epr.index.Deprecations;
import dev.wharf.epr.index.IndexHealth;
import dev.wharf.epr.index.IndexReport;
import dev.wharf.epr.index.IndexedPackage;
import dev.wharf.epr.index.Indexer;
import dev.wharf.epr.index.IndexerException;
import dev.wharf.epr.model.PackageDocument;
import dev.wharf.epr.model.Versions;
import dev.wharf.epr.pkg.DirectoryPackageFiles;
import dev.wharf.epr.pkg.InvalidPackageException;
import dev.wharf.epr.pkg.PackageReader;
import dev.wharf.epr.pkg.ZipContent;
import dev.wharf.epr.pkg.ZipPackageFiles;
import dev.wharf.oci.archive.ArchiveLimits;
import dev.wharf.oci.archive.RootedFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * EPR's two file-system indexers in one: under every package path, {@code .zip} packages anywhere
 * and unpacked packages at {@code {name}/{version}/}. A signature is the file beside the package
 * with {@code .sig} appended. Zips are indexed first, so a version present both ways is served from
 * its zip, as in EPR.
 *
 * <p>No symbolic link leading out of a package path is followed: such a zip, folder or signature is left
 * out with a warning, and so is a package folder holding one ({@link DirectoryPackageFiles}).
 *
 * <p>Unlike EPR, which refuses to start when one package is broken, a broken package is left out
 * with a warning naming it and why: one bad upload must not take the registry down.
 *
 * <p>Packages are read by {@link PackagePathsOptions#workers()} threads at once, and kept in the order
 * they were found, so that the same version in two places is resolved as EPR does whatever thread
 * finished first. With the watcher on, a change under a path re-reads every path.
 */
public final class FileSystemIndexer implements Indexer {
    private static final Logger LOG = LoggerFactory.getLogger(FileSystemIndexer.class);

    private final List<Path> paths;
    private final PackageReader reader;
    private final boolean requireSignatures;
    private final Clock clock;
    private final PackagePathsOptions options;
    private final FolderZips zips = new FolderZips();
    private volatile List<IndexedPackage> packages = List.of();
    private volatile IndexHealth health;
    private volatile IndexReport report = IndexReport.NONE;
    private volatile @Nullable PackagePathsWatcher watcher;

    public FileSystemIndexer(List<Path> paths, boolean validate, boolean requireSignatures, ArchiveLimits limits, Clock clock) {
        this(paths, validate, requireSignatures, limits, clock, PackagePathsOptions.defaults());
    }

    public FileSystemIndexer(List<Path> paths, boolean validate, boolean requireSignatures, ArchiveLimits limits, Clock clock,
            PackagePathsOptions options) {
        this.options = options;
        this.paths = List.copyOf(paths);
        this.reader = new PackageReader(validate, LOG::warn, limits);
        this.requireSignatures = requireSignatures;
        this.clock = clock;
        this.health = new IndexHealth(IndexHealth.State.UNAVAILABLE, java.util.Optional.empty(),
                java.util.Optional.of("not indexed yet"), 0, describe());
    }

    private String describe() {
        return "package_paths " + paths;
    }

    @Override
    public void start() throws IndexerException {
        refresh();
        if (options.watch()) {
            try {
                PackagePathsWatcher w = new PackagePathsWatcher(paths, options.debounce(), this::refreshAfterChange);
                watcher = w;
                w.start();
                LOG.info("watching package paths {} for changes", paths);
            } catch (IOException e) {
                throw new IndexerException("cannot watch package paths " + paths + ": " + e.getMessage(), e);
            }
        }
    }

    private void refreshAfterChange() {
        try {
            refresh();
        } catch (IndexerException e) {
            // As EPR: the index read before the change stays.
            LOG.error("updating the package index after a change failed: {}", e.getMessage());
        }
    }

    /** Reads every package path again. */
    public synchronized void refresh() throws IndexerException {
        List<Path> bases = paths.stream().filter(base -> {
            if (!Files.isDirectory(base)) {
                LOG.warn("package path {} does not exist or is not a directory", base);
            }
            return Files.isDirectory(base);
        }).toList();
        // As EPR's zip indexer comes before its folder indexer: every zip, in any path, wins over a folder.
        List<PackageReads.Read> reads = new ArrayList<>();
        Queue<IndexReport.LeftOut> leftOut = new ConcurrentLinkedQueue<>();
        try {
            for (Path base : bases) {
                for (Path zip : zips(base)) {
                    reads.add(new PackageReads.Read(zip, () -> indexZip(base, zip, leftOut)));
                }
            }
            for (Path base : bases) {
                for (Path folder : folders(base)) {
                    reads.add(new PackageReads.Read(folder, () -> indexFolder(base, folder, leftOut)));
                }
            }
        } catch (IOException | UncheckedIOException e) {
            throw new IndexerException("cannot list package paths " + paths + ": " + e.getMessage(), e);
        }
        List<IndexedPackage> found = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        List<Optional<IndexedPackage>> read = PackageReads.readAll(reads, options, paths);
        for (int i = 0; i < reads.size(); i++) {
            Path from = reads.get(i).from();
            read.get(i).ifPresent(p -> add(found, seen, p, from));
        }
        packages = Deprecations.propagate(found);
        Instant now = clock.instant();
        // Every refresh reads every path in full.
        report = new IndexReport(Optional.of(now), leftOut.stream().sorted(Comparator.comparing(IndexReport.LeftOut::what)).toList());
        health = IndexHealth.healthy(now, packages.size(), describe());
        LOG.info("{} packages indexed from {}", packages.size(), paths);
    }

    private static void add(List<IndexedPackage> found, Set<String> seen, IndexedPackage p, Path from) {
        if (seen.add(p.key())) {
            found.add(p);
        } else {
            LOG.debug("duplicated package {} at {} ignored", p.key(), from);
        }
    }

    private static List<Path> zips(Path base) throws IOException {
        try (Stream<Path> walk = Files.walk(base)) {
            return walk.filter(p -> Files.isRegularFile(p) && p.getFileName().toString().endsWith(".zip") && inside(base, p))
                    .sorted(FileSystemIndexer::walkOrder).toList();
        }
    }

    /**
     * EPR's order of discovery, Go's {@code filepath.WalkDir}: each folder's entries by name, a folder's
     * contents before its next sibling. A whole path's order differs where a name holds a character
     * below '/' ({@code z/b.zip} comes before {@code z-extra/a.zip} here, after it as strings), and the
     * order is what a spec filter's error names the first package without a format version by.
     */
    private static int walkOrder(Path a, Path b) {
        int common = Math.min(a.getNameCount(), b.getNameCount());
        for (int i = 0; i < common; i++) {
            // Go compares names as bytes.
            int c = Arrays.compareUnsigned(a.getName(i).toString().getBytes(StandardCharsets.UTF_8),
                    b.getName(i).toString().getBytes(StandardCharsets.UTF_8));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.getNameCount(), b.getNameCount());
    }

    private static List<Path> folders(Path base) throws IOException {
        List<Path> result = new ArrayList<>();
        try (Stream<Path> names = Files.list(base)) {
            for (Path name : names.filter(p -> Files.isDirectory(p) && inside(base, p)).sorted().toList()) {
                try (Stream<Path> versions = Files.list(name)) {
                    for (Path v : versions.filter(p -> Files.isDirectory(p) && inside(base, p)).sorted().toList()) {
                        if (Versions.isStrict(v.getFileName().toString())) {
                            result.add(v);
                        } else {
                            LOG.warn("ignoring unexpected directory {}", v);
                        }
                    }
                }
            }
        }
        return result;
    }

    /** A link out of the package path is never followed: what it leads to is no package of this path. */
    private static boolean inside(Path base, Path p) {
        if (RootedFiles.leaves(base, p)) {
            LOG.warn("{} left out: a symbolic link leading out of the package path {}", p, base);
            return false;
        }
        return true;
    }

    private static Path signatureOf(Path base, Path pkg) throws InvalidPackageException {
        Path sig = pkg.resolveSibling(pkg.getFileName() + ".sig");
        if (RootedFiles.leaves(base, sig)) {
            throw new InvalidPackageException("its signature " + sig.getFileName() + " is a symbolic link leading out of the package path");
        }
        return sig;
    }

    private java.util.Optional<IndexedPackage> indexZip(Path base, Path zip, Queue<IndexReport.LeftOut> leftOut) {
        try (ZipPackageFiles files = new ZipPackageFiles(zip)) {
            Path sig = signatureOf(base, zip);
            PackageDocument doc = reader.read(files, Files.isRegularFile(sig));
            checkSignature(doc, sig);
            return java.util.Optional.of(new IndexedPackage(doc, ZipContent.onDisk(zip, sig)));
        } catch (InvalidPackageException | IOException e) {
            LOG.warn("package {} left out: {}", zip, e.getMessage());
            leftOut.add(new IndexReport.LeftOut(base.relativize(zip).toString(), String.valueOf(e.getMessage())));
            return java.util.Optional.empty();
        }
    }

    private java.util.Optional<IndexedPackage> indexFolder(Path base, Path folder, Queue<IndexReport.LeftOut> leftOut) {
        try (DirectoryPackageFiles files = new DirectoryPackageFiles(folder)) {
            Path sig = signatureOf(base, folder);
            PackageDocument doc = reader.read(files, Files.isRegularFile(sig));
            String dirVersion = folder.getFileName().toString();
            if (!Versions.strict(dirVersion).orElseThrow().equals(Versions.strict(doc.version).orElseThrow())) {
                throw new InvalidPackageException("version in manifest file is not consistent with path: inconsistent versions (path: "
                        + dirVersion + ", manifest: " + doc.version + ")");
            }
            checkSignature(doc, sig);
            return java.util.Optional.of(new IndexedPackage(doc,
                    new FolderContent(folder, doc.name + "-" + doc.version, sig, zips)));
        } catch (InvalidPackageException | IOException e) {
            LOG.warn("package {} left out: {}", folder, e.getMessage());
            leftOut.add(new IndexReport.LeftOut(base.relativize(folder).toString(), String.valueOf(e.getMessage())));
            return java.util.Optional.empty();
        }
    }

    private void checkSignature(PackageDocument doc, Path sig) throws InvalidPackageException {
        if (requireSignatures && !Files.isRegularFile(sig)) {
            throw new InvalidPackageException("package " + doc.name + "-" + doc.version
                    + " is missing a required signature file (" + sig.getFileName() + "); use -require-package-signatures=false for unsigned packages");
        }
    }

    @Override
    public void close() {
        PackagePathsWatcher w = watcher;
        if (w != null) {
            w.close();
        }
        zips.close();
    }

    @Override
    public List<IndexedPackage> packages() {
        return packages;
    }

    @Override
    public String kind() {
        return "filesystem";
    }

    @Override
    public IndexHealth health() {
        return health;
    }

    @Override
    public IndexReport report() {
        return report;
    }
}
