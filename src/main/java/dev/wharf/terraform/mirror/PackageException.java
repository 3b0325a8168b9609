package dev.wharf.terraform.mirror;

/** A provider package, checksum or mirror directory that does not check out; the message says why. */
public class PackageException extends RuntimeException {
    public PackageException(String message) {
        super(message);
    }
}
