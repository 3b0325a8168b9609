package dev.wharf.terraform.ui;

/** Why an OIDC sign-in ended without a session, in words fit for the person signing in (never a token). */
final class SignInRefused extends RuntimeException {
    private static final long serialVersionUID = 1L;

    SignInRefused(String message) {
        super(message);
    }

    SignInRefused(String message, Throwable cause) {
        super(message, cause);
    }
}
