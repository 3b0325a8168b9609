package dev.wharf.terraform.discovery;

import java.util.function.BooleanSupplier;

/**
 * An answer with the check that it is still the answer, told from memory alone (it never waits),
 * for whoever keeps something built from it: a page held ready, for one.
 */
public record Checked<T>(T value, BooleanSupplier current) {
}
