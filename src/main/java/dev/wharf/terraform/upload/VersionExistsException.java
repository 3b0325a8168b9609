package dev.wharf.terraform.upload;

/** The version is stored already (or was stored meanwhile by a concurrent publish); versions are never overwritten. */
public final class VersionExistsException extends UploadException {
    private final boolean lostRace;

    public VersionExistsException(String message, boolean lostRace) {
        super(message);
        this.lostRace = lostRace;
    }

    /** Whether this publish wrote its tag and another publish of the same version won. */
    public boolean lostRace() {
        return lostRace;
    }
}
