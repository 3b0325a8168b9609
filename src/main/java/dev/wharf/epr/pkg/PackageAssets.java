package dev.wharf.epr.pkg;

import java.util.Collection;
import java.util.List;

/** The files a package lists as its assets, in EPR's order. */
final class PackageAssets {
    private static int compareSegments(String[] pa, String[] pb) {
        if (pa.length != pb.length) {
            return Integer.compare(pa.length, pb.length);
        }
        for (int i = 0; i < pa.length; i++) {
            int c = pa[i].compareTo(pb[i]);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    /** A path with its segments. */
    private record Segmented(String path, String[] segments) {
        Segmented(String path) {
            this(path, path.split("/"));
        }
    }

    private PackageAssets() {
    }

    /**
     * {@code paths} as EPR lists assets: level by level (all files at depth 1, then 2, …), each level in
     * path order; each path split into its segments once, not at every comparison.
     */
    static List<String> inOrder(Collection<String> paths) {
        return paths.stream()
                .map(Segmented::new)
                .sorted((a, b) -> compareSegments(a.segments(), b.segments()))
                .map(Segmented::path)
                .toList();
    }

    /** Each file's path below {@code base}; a folder whose name holds '-' makes the package invalid. */
    static List<String> list(PackageFiles files, String name, String base) throws InvalidPackageException {
        for (String dir : files.directories()) {
            String last = dir.substring(dir.lastIndexOf('/') + 1);
            if (last.contains("-")) {
                throw new InvalidPackageException("directory name inside package " + name + " contains -: " + dir);
            }
        }
        return inOrder(files.files().stream().filter(f -> !f.contains(".DS_Store")).toList()).stream()
                .map(f -> base + "/" + f)
                .toList();
    }
}
