package dev.wharf.terraform.discovery;

import java.util.List;

/**
 * One module version with what the registry API shows beside it.
 *
 * @param versions  every version of this module, newest first
 * @param providers every provider this namespace/name is published for, sorted
 */
public record ModuleDetail(ModuleSummary summary, List<String> versions, List<String> providers) {
}
