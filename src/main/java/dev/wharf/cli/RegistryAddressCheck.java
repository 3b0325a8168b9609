package dev.wharf.cli;

/**
 * Refuses a registry address that carries credentials ({@code https://user:pass@host},
 * {@code user:pass@host}) before anything else reads it: the message names the flags that take
 * credentials and never repeats the address, which would print the password into logs and terminals.
 */
public final class RegistryAddressCheck {
    private RegistryAddressCheck() {
    }

    /**
     * @param setting how the user set the address (flag and variable), for the message
     * @param credentialSettings the flags and variables that take credentials instead
     */
    public static void refuseCredentials(String address, String setting, String credentialSettings) {
        if (address != null && address.indexOf('@') >= 0) {
            throw new IllegalArgumentException(setting + " holds credentials (user:password@host); they are not accepted in the"
                    + " address and it is not repeated here: give the host alone and the credentials with " + credentialSettings);
        }
    }
}
