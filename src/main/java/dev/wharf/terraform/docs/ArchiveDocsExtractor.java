package dev.wharf.terraform.docs;

import dev.wharf.oci.archive.EntryNames;
import dev.wharf.oci.archive.StreamedArchive;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.ArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;

/**
 * Reads the documentation of a module archive (tar.gz or zip) in one pass as it streams by: the
 * {@code .tf} files at its root and in each {@code modules/<name>/}, and nothing else kept. Entry
 * names follow {@link EntryNames} as at upload; a tar.gz or zip inflates no further than the archive
 * rules allow for its size; links are not followed; a configuration file holds at most
 * {@link #MAX_FILE_BYTES} and all of them together {@link #MAX_TOTAL_BYTES} — past that a file is
 * left out with a note, so a page still shows what could be read.
 */
public final class ArchiveDocsExtractor {
    static final int MAX_FILE_BYTES = 1 << 20;
    static final long MAX_TOTAL_BYTES = 16L << 20;
    private static final String SUBMODULES = "modules/";

    private ArchiveDocsExtractor() {
    }

    public static ArchiveDocs read(InputStream archive, boolean zip, long maxInflatedBytes) throws IOException {
        Map<String, Map<String, String>> files = new TreeMap<>();
        Map<String, List<ModuleDocs.Note>> notes = new TreeMap<>();
        files.put("", new TreeMap<>());
        long total = 0;
        try (StreamedArchive entries = StreamedArchive.open(archive, zip, maxInflatedBytes, "while its configuration files are read")) {
            for (ArchiveEntry entry = entries.next(); entry != null; entry = entries.next()) {
                String name = EntryNames.check(entry.getName());
                String bare = name.startsWith("./") ? name.substring(2) : name;
                int slash = bare.lastIndexOf('/');
                String directory = slash < 0 ? "" : bare.substring(0, slash);
                String file = bare.substring(slash + 1);
                if (!plainFile(entry) || !moduleDirectory(directory)) {
                    continue;
                }
                if (file.endsWith(".tf.json") && ModuleReader.configFile(file.substring(0, file.length() - ".json".length()))) {
                    notes.computeIfAbsent(directory, d -> new ArrayList<>()).add(ModuleDocs.Note.about(file, "not read, JSON-syntax configuration is not documented"));
                    continue;
                }
                if (!ModuleReader.configFile(file)) {
                    continue;
                }
                byte[] bytes = entries.data().readNBytes(MAX_FILE_BYTES + 1);
                if (bytes.length > MAX_FILE_BYTES || total + bytes.length > MAX_TOTAL_BYTES) {
                    notes.computeIfAbsent(directory, d -> new ArrayList<>()).add(ModuleDocs.Note.about(file, "not read, larger than "
                            + (bytes.length > MAX_FILE_BYTES ? MAX_FILE_BYTES + " bytes" : "the " + MAX_TOTAL_BYTES + " bytes all files may hold")));
                    continue;
                }
                total += bytes.length;
                try {
                    files.computeIfAbsent(directory, d -> new TreeMap<>()).put(file, utf8(bytes));
                } catch (CharacterCodingException e) {
                    notes.computeIfAbsent(directory, d -> new ArrayList<>()).add(ModuleDocs.Note.about(file, "not read, it is not UTF-8 text"));
                }
            }
        }
        notes.keySet().forEach(directory -> files.computeIfAbsent(directory, d -> new TreeMap<>()));
        ModuleDocs root = withNotes(ModuleReader.read("", files.get("")), notes.getOrDefault("", List.of()));
        List<ModuleDocs> submodules = new ArrayList<>();
        files.forEach((directory, texts) -> {
            if (!directory.isEmpty()) {
                submodules.add(withNotes(ModuleReader.read(directory, texts), notes.getOrDefault(directory, List.of())));
            }
        });
        return new ArchiveDocs(root, submodules);
    }

    /** The root, or a directory right under {@code modules/}, as terraform-config-inspect would be pointed at. */
    private static boolean moduleDirectory(String directory) {
        return directory.isEmpty() || (directory.startsWith(SUBMODULES) && directory.length() > SUBMODULES.length()
                && directory.indexOf('/', SUBMODULES.length()) < 0);
    }

    private static boolean plainFile(ArchiveEntry entry) {
        if (entry.isDirectory()) {
            return false;
        }
        if (entry instanceof TarArchiveEntry tar) {
            return tar.isFile();
        }
        return !(entry instanceof ZipArchiveEntry zip && zip.isUnixSymlink());
    }

    private static String utf8(byte[] bytes) throws CharacterCodingException {
        return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    }

    private static ModuleDocs withNotes(ModuleDocs docs, List<ModuleDocs.Note> more) {
        if (more.isEmpty()) {
            return docs;
        }
        List<ModuleDocs.Note> all = new ArrayList<>(more);
        all.addAll(docs.notes());
        return new ModuleDocs(docs.path(), docs.inputs(), docs.outputs(), docs.resources(), docs.providers(), docs.requiredCore(),
                docs.moduleCalls(), all);
    }
}
