package dev.wharf.terraform.mirror;

import dev.wharf.oci.archive.ZipInspector;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code upload mirror DIR}: stores a {@code terraform providers mirror} directory in the mirror layout,
 * so that a site without internet can fill its mirror. The whole directory is checked first (every
 * zip against its hashes, every already-stored package against the one being uploaded), then the
 * archives are pushed; a package already stored with the same content is skipped, one stored with
 * different content stops the upload before anything is pushed.
 */
public final class MirrorUpload {
    /** What an upload did. */
    public record Result(List<MirroredArchive> stored, List<MirroredArchive> skipped) {
    }

    private final MirrorStorage storage;
    private final ZipInspector zips;

    public MirrorUpload(MirrorStorage storage, ZipInspector zips) {
        this.storage = storage;
        this.zips = zips;
    }

    public Result upload(Path directory) {
        List<MirroredArchive> archives = MirrorDirectory.read(directory, zips);
        List<MirroredArchive> toStore = new ArrayList<>();
        List<MirroredArchive> skipped = new ArrayList<>();
        List<String> conflicts = new ArrayList<>();
        for (MirroredArchive archive : archives) {
            Optional<StoredArchive> existing = storage.archive(archive.provider(), archive.version(), archive.os(), archive.arch());
            if (existing.isEmpty()) {
                toStore.add(archive);
            } else if (storage.hashes(existing.get()).zh().equals(archive.hashes().zh())) {
                skipped.add(archive);
            } else {
                conflicts.add(archive.provider() + " " + archive.version() + " " + archive.platform());
            }
        }
        if (!conflicts.isEmpty()) {
            throw new MirrorException(MirrorException.Reason.CONFLICT, "already mirrored with different content, nothing uploaded: "
                    + String.join(", ", conflicts));
        }
        for (MirroredArchive archive : toStore) {
            storage.storeArchive(archive.provider(), archive.version(), archive.os(), archive.arch(), archive.file(), archive.hashes());
        }
        return new Result(toStore, skipped);
    }
}
