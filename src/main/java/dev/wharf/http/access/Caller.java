package dev.wharf.http.access;

import java.util.List;

/** Who made a request, as far as the server knows: a name for the audit log (never a secret) and the scopes granted. */
public record Caller(String name, List<Scope> scopes) {
    public Caller {
        scopes = List.copyOf(scopes);
    }

    /** Everyone, where no authentication is configured: reading only. */
    public static Caller anonymous() {
        return new Caller("anonymous", List.of(Scope.read()));
    }

    public boolean mayRead() {
        return scopes.stream().anyMatch(s -> s.kind() != Scope.Kind.PUBLISH);
    }

    public boolean mayPublish(String subject) {
        return scopes.stream().anyMatch(s -> s.allowsPublishing(subject));
    }

    public boolean isAdmin() {
        return scopes.stream().anyMatch(s -> s.kind() == Scope.Kind.ADMIN);
    }
}
