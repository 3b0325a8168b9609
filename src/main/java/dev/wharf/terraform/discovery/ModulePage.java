package dev.wharf.terraform.discovery;

import java.util.List;

/** One page of a module list: {@code more} when modules follow {@code offset + modules.size()}. */
public record ModulePage(List<ModuleSummary> modules, int offset, int limit, boolean more) {
}
