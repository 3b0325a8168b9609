package dev.wharf.oci;

/**
 * A push the store refuses because the repository already holds as much as the store keeps in one (the
 * embedded layout's bounds on its {@code index.json}). Its kind stays {@code WRITE_FAILED}, answered 507, but a
 * publisher told "the server's disk refused a write" looked for a full disk that was not there: {@link #forClients()}
 * says what the bound is, how far the repository is, and what an operator can do, without the store's paths.
 */
public final class RepositoryFullException extends StorageException {
    private static final long serialVersionUID = 1L;
    private final String forClients;

    /** {@code where} names the store and repository for the log; {@code forClients} is the rest of the message. */
    public RepositoryFullException(String where, String forClients) {
        super(Kind.WRITE_FAILED, where + ": " + forClients);
        this.forClients = forClients;
    }

    /** The refusal without the store's paths or the repository's name: the bound, the count and the way out. */
    public String forClients() {
        return forClients;
    }
}
