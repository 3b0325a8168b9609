package dev.wharf.terraform.docs;

import java.util.List;

/** The documentation of a module archive: its root module and each submodule under {@code modules/}, by path. */
public record ArchiveDocs(ModuleDocs root, List<ModuleDocs> submodules) {
    public ArchiveDocs {
        submodules = List.copyOf(submodules);
    }
}
