package dev.wharf.terraform.upload;

/**
 * A tag this upload needed was deleted while the upload wrote it (someone's clean-up at the same
 * moment): nothing of the version is published, and uploading it again may well work. Not
 * {@link VersionExistsException}, which {@code --ignore-existing} skips and the publish API answers
 * 409: nothing exists under the tag.
 */
public final class TagDeletedException extends UploadException {
    public TagDeletedException(String what, String file) {
        super(what + " is not published: the tag of " + file + " was deleted while this upload wrote it; upload it again");
    }
}
