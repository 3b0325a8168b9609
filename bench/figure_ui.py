"""Figure 1's /ui/ rows: boring-registry's home page and a module page, with 1 000 modules stored, against
nginx serving the same bytes (figure 1 captures each answer once and puts it in nginx's root).

Seeds ``benchui/ui{i}/aws`` (one version each, with a description) beside figure 1's modules, so the home
page is built from a catalog of 1 000 modules plus those; the module page is figure 1's ``bench/mod0/aws``.
"""
import oci_seed as seed

UI_MODULES = {True: 30, False: 1000}  # smoke, full


def seed_modules(reg, pool, smoke):
    jobs = []
    for i in range(UI_MODULES[smoke]):
        name, version = "ui%d" % i, "1.0.0"
        jobs.append(pool.submit(reg.push_artifact, "%s/modules/benchui/%s/aws" % (seed.TF_BASE, name),
                                "benchui-%s-aws-%s" % (name, version), "application/vnd.wharf.terraform.module.v1",
                                [("application/vnd.wharf.terraform.module.layer.v1.tar+gzip", "benchui-%s-aws-%s.tar.gz" % (name, version),
                                  seed.module_tgz(name, version), None)],
                                {"org.opencontainers.image.version": version,
                                 "org.opencontainers.image.description": "UI benchmark module %d of %d" % (i + 1, UI_MODULES[smoke])}))
    for j in jobs:
        j.result()


def endpoints(smoke, tf_url):
    """(name, base URL, path) rows for figure 1, in its endpoint form."""
    return [("UI home page (%d+ modules)" % UI_MODULES[smoke], tf_url, "/ui/"),
            ("UI module page", tf_url, "/ui/modules/bench/mod0/aws")]
