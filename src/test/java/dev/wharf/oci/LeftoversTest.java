package dev.wharf.oci;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.oci.layout.ImageLayoutStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a killed process leaves is removed, and nothing in use, whichever process uses it. The other
 * processes are real JVMs ({@link LeftoverOwner}), killed with SIGKILL: the locks are the system's.
 */
class LeftoversTest {
    @TempDir
    Path dir;

    @Test
    void aScratchFolderStaysWhileItsProcessLivesAndGoesOnceItWasKilled() throws Exception {
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        try (Owner owner = Owner.start("folder", tmp.toString(), "wharf-publish-")) {
            Path folder = Path.of(owner.line());
            assertThat(Leftovers.scratchFolders(tmp).isEmpty()).isTrue();
            assertThat(folder.resolve("body")).hasSize(LeftoverOwner.BYTES);

            owner.kill();
            assertThat(folder).as("a killed process removes nothing").exists();
            Leftovers.Removed removed = Leftovers.scratchFolders(tmp);
            assertThat(removed.paths()).containsExactly(folder);
            assertThat(removed.bytes()).isEqualTo(LeftoverOwner.BYTES);
            assertThat(tmp).isEmptyDirectory();
        }
    }

    @Test
    void aProcessNeverOpensItsOwnScratchFoldersSoTheirLocksHold() throws Exception {
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        try (ScratchFolder mine = ScratchFolder.create(tmp, "wharf-mirror-")) {
            assertThat(Leftovers.scratchFolders(tmp).isEmpty()).isTrue();
            // POSIX drops every lock a process holds on a file when it closes any descriptor of it: had
            // the sweep above opened this process's own folder, another process could now remove it.
            try (Owner sweeper = Owner.start("sweep", tmp.toString())) {
                assertThat(sweeper.line()).isEqualTo("removed 0");
            }
            assertThat(mine.path()).isDirectory();
        }
        assertThat(tmp).as("closed, the folder is gone with its lock file").isEmptyDirectory();
    }

    @Test
    void aMarkOfLettersAloneIsStillTheMark() throws Exception {
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        // Unlocked, as the system leaves the lock file of a process that is gone.
        Path killed = Files.createDirectories(tmp.resolve("wharf-upload-mirror-abcdefghijklm-5"));
        Files.writeString(killed.resolve(ScratchFolder.OWNER), "");
        assertThat(Leftovers.scratchFolders(tmp).paths()).containsExactly(killed);
    }

    @Test
    void onlyWhatWharfNamedIsEverTouched() throws Exception {
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        List<Path> others = List.of(Files.createDirectory(tmp.resolve("wharf-mirror-1234567890")),  // an older Wharf's, no lock
                Files.createDirectory(tmp.resolve("wharf-publish-0000000000000-12")),  // the form, but no lock file
                Files.createDirectory(tmp.resolve("someone-else-0000000000000-12")),
                Files.writeString(tmp.resolve("wharf-file-0000000000000-12"), "a file, not a folder"));
        Files.createDirectories(dir.resolve("blobs"));
        Path oldUpload = Files.writeString(dir.resolve("blobs/.upload-1234567890.tmp"), "an older Wharf's");
        assertThat(Leftovers.scratchFolders(tmp).isEmpty()).isTrue();
        assertThat(Leftovers.files(dir.resolve("blobs"), ".upload-", ".tmp").isEmpty()).isTrue();
        assertThat(others).allMatch(Files::exists);
        assertThat(oldUpload).exists();
        assertThat(Leftovers.files(dir.resolve("absent"), ".upload-", ".tmp").isEmpty()).isTrue();
        assertThat(new ImageLayoutStore(dir.resolve("no-layout-yet")).removeLeftovers().isEmpty()).isTrue();
    }

    @Test
    void aBlobHalfWrittenIntoTheLayoutByAKilledProcessIsRemovedAndTheLayoutStillServes() throws Exception {
        Path layout = dir.resolve("data");
        try (Owner owner = Owner.start("blob", layout.toString(), "acme/big")) {
            assertThat(owner.line()).isEqualTo("writing");
            Path blobs = layout.resolve("acme/big/blobs/sha256");
            List<Path> writing = uploads(blobs);
            assertThat(writing).hasSize(1);
            assertThat(writing.get(0)).hasSize(LeftoverOwner.BYTES);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(writing.get(0)))).as("as createTempFile made them")
                    .isEqualTo("rw-------");
            ImageLayoutStore store = new ImageLayoutStore(layout);
            assertThat(store.removeLeftovers().isEmpty()).as("being written").isTrue();

            owner.kill();
            assertThat(uploads(blobs)).isEqualTo(writing);
            Leftovers.Removed removed = store.removeLeftovers();
            assertThat(removed.paths()).containsExactlyElementsOf(writing);
            assertThat(removed.bytes()).isEqualTo(LeftoverOwner.BYTES);
            assertThat(uploads(blobs)).isEmpty();
            assertThat(store.listTags("acme/big")).isEmpty();
        }
    }

    @Test
    void anIndexLeftBetweenItsWriteAndItsRenameIsRemovedAndTheIndexStays() throws Exception {
        Path layout = dir.resolve("data");
        ImageLayoutStore store = new ImageLayoutStore(layout);
        store.push("acme/small", "1.0.0", new Artifact("application/vnd.example",
                List.of(Layer.file("application/octet-stream", "a.txt", BlobSource.ofBytes("a".getBytes(StandardCharsets.UTF_8)))), Map.of()), false);
        Path repository = layout.resolve("acme/small");
        // Unlocked, as the system leaves the file of a process killed before its rename; it had stayed for good.
        Path killed = Files.writeString(repository.resolve(".index-abcdefghijklm-7.json"), "{\"schemaVersion\":2,\"manif");
        Path older = Files.writeString(repository.resolve(".index-8125731960.json"), "an older Wharf's, never touched");

        Leftovers.Removed removed = store.removeLeftovers();
        assertThat(removed.paths()).containsExactly(killed);
        assertThat(older).exists();
        assertThat(store.listTags("acme/small")).containsExactly("1.0.0");
        // A write of this process leaves no file of its own beside the index.
        store.push("acme/small", "1.1.0", new Artifact("application/vnd.example",
                List.of(Layer.file("application/octet-stream", "b.txt", BlobSource.ofBytes("b".getBytes(StandardCharsets.UTF_8)))), Map.of()), false);
        try (Stream<Path> files = Files.list(repository)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("oci-layout", "index.json", "blobs", ".wharf.lock",
                    older.getFileName().toString());
        }
    }

    private static List<Path> uploads(Path blobs) throws IOException {
        try (Stream<Path> files = Files.list(blobs)) {
            return files.filter(p -> p.getFileName().toString().startsWith(".upload-")).toList();
        }
    }

    /** A {@link LeftoverOwner} process. */
    private record Owner(Process process, BufferedReader out) implements AutoCloseable {
        static Owner start(String... args) throws IOException {
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), LeftoverOwner.class.getName()));
            command.addAll(List.of(args));
            Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            return new Owner(process, new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)));
        }

        String line() throws IOException {
            String line = out.readLine();
            assertThat(line).as("the other process's answer").isNotNull();
            return line;
        }

        void kill() throws InterruptedException {
            process.destroyForcibly();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }

        @Override
        public void close() throws InterruptedException {
            kill();
        }
    }
}
