package dev.wharf.terraform.provider;

import dev.wharf.terraform.TerraformNames;

/** The name checks of a provider request: a malformed name is the client's fault ({@code BAD_REQUEST}). */
final class ProviderNames {
    private ProviderNames() {
    }

    static void check(ProviderAddress provider) {
        checkNamespace(provider.namespace());
        TerraformNames.checkProviderType(provider.name()).ifPresent(ProviderNames::badRequest);
    }

    static void checkNamespace(String namespace) {
        TerraformNames.checkNamespace(namespace).ifPresent(ProviderNames::badRequest);
    }

    static void badRequest(String message) {
        throw new ProviderException(ProviderException.Reason.BAD_REQUEST, message);
    }
}
