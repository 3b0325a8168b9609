package dev.wharf.terraform.web;

import dev.wharf.terraform.module.ModuleAddress;
import dev.wharf.terraform.provider.ProviderAddress;
import io.javalin.http.Context;

/** The module or provider address a route's path parameters name. */
final class RouteAddresses {
    private RouteAddresses() {
    }

    static ModuleAddress module(Context ctx) {
        return new ModuleAddress(ctx.pathParam("namespace"), ctx.pathParam("name"), ctx.pathParam("provider"));
    }

    static ProviderAddress provider(Context ctx) {
        return new ProviderAddress(ctx.pathParam("namespace"), ctx.pathParam("name"));
    }
}
