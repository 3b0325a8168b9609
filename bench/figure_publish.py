"""Figure publish (issue 17): publishing through Wharf's HTTP API against the direct upload into the same docker-registry.

The same CLI does both, as a CI job would: `upload module|provider` writing straight to the registry, and the same
command with --server/--token sending the archives to a boring-registry server in front of that registry (PUT of
each module archive, multipart PUT of each signed provider release). Both start one JVM per command and build the
same archives, so the difference is the extra hop: the server spools each body, checks it and pushes it. Runs of the
two kinds alternate, so load that drifts during the run hits both; the ratio is HTTP throughput over direct.
Standard library only; run through bench/run --figures publish.
"""
import os
import subprocess
import time
import urllib.request

import oci_seed as seed

TARGET = 0.8
MB = 1 << 20
NAMESPACE = "bench"
SMOKE = dict(modules=3, module_kb=64, rounds=1)
FULL = dict(modules=20, module_kb=2048, rounds=3)


def run(b):
    a = b.a
    size = SMOKE if a.smoke else FULL
    work = os.path.join(b.work, "publish")
    os.makedirs(work)
    tokens, token = _token(b, work)
    server = b.start_boring("wharf-publish", b.jvm_flags(), extra=("--auth-tokens-file", tokens))
    b.wait_until("boring-registry (publish)", lambda: _ready(server.url), 120, server)
    direct = ["--storage-oci-registry", b.reg, "--storage-oci-insecure", "--storage-oci-repository", seed.TF_BASE]
    over_http = ["--server", server.url]
    env = dict(os.environ, BORING_REGISTRY_TOKEN=token)

    payloads = []
    for i in range(size["modules"]):
        path = os.path.join(work, "payload-%d.bin" % i)
        seed.random_file(path, size["module_kb"] * 1024)
        payloads.append(path)
    # The server runs for months: one publish of each kind first, so its first-request costs are not counted.
    _cli(b, work, env, ["upload", "module"] + over_http + [_module_tree(work, payloads[:1], "0.0.1", "warm")])
    sums, _ = _release(b, work, "pub", "0.0.1", 64 * 1024)
    _cli(b, work, env, ["upload", "provider", "--namespace", NAMESPACE, "--filename-sha256sums", sums] + over_http)
    times = {"direct": 0.0, "http": 0.0}
    module_bytes = 0
    for r in range(size["rounds"]):
        for mode, flags in _alternating(r, direct, over_http):
            tree = _module_tree(work, payloads, "%d.%d.0" % (r + 1, 0 if mode == "direct" else 1), mode)
            times[mode] += _cli(b, work, env, ["upload", "module"] + flags + [tree])
        module_bytes += size["modules"] * size["module_kb"] * 1024
    _row(b, "module archives, %d x %d KB per run, %d run%s each" % (size["modules"], size["module_kb"], size["rounds"],
                                                                    "" if size["rounds"] == 1 else "s"),
         module_bytes, times, "upload module")

    times = {"direct": 0.0, "http": 0.0}
    release_bytes = 0
    for r in range(size["rounds"]):
        for mode, flags in _alternating(r, direct, over_http):
            sums, written = _release(b, work, "pub", "%d.0.%d" % (r + 1, 0 if mode == "direct" else 1), a.provider_zip_kb * 1024)
            times[mode] += _cli(b, work, env, ["upload", "provider", "--namespace", NAMESPACE, "--filename-sha256sums", sums] + flags)
        release_bytes += written
    _row(b, "signed provider release, 4 x %d KB zips, %d run%s each" % (a.provider_zip_kb, size["rounds"],
                                                                     "" if size["rounds"] == 1 else "s"),
         release_bytes, times, "upload provider")
    b.stop(server)


def _alternating(r, direct, over_http):
    """Direct first in even runs, HTTP first in odd ones: neither kind always runs on the warmer cache."""
    order = [("direct", direct), ("http", over_http)]
    return order if r % 2 == 0 else order[::-1]


def _row(b, what, nbytes, times, command):
    direct = nbytes / times["direct"] / MB
    http = nbytes / times["http"] / MB
    ratio = times["direct"] / times["http"]
    b.row("publish", "%s over HTTP (--server)" % what, "%.1f MB/s (%.1f s)" % (http, times["http"]),
          "direct %s %.1f MB/s (%.1f s)" % (command, direct, times["direct"]), "%.2f" % ratio, "≥ %.1f" % TARGET, ratio >= TARGET)


def _token(b, work):
    """A publish:bench/* token made by `token create`: its first line is the token, the rest the entry."""
    out = subprocess.run(b.java(b.jvm_flags()) + ["boring-registry", "token", "create", "--name", "bench-ci",
                                                   "--scope", "publish:%s/*" % NAMESPACE],
                         capture_output=True, text=True, timeout=300, cwd=work)
    if out.returncode != 0:
        raise RuntimeError("token create failed: " + (out.stderr + out.stdout)[-2000:])
    lines = out.stdout.splitlines()
    path = os.path.join(work, "tokens.yaml")
    with open(path, "w") as f:
        f.write("tokens:\n" + "\n".join(lines[1:]) + "\n")
    return path, lines[0].strip()


def _ready(url):
    try:
        with urllib.request.build_opener(urllib.request.ProxyHandler({})).open(url + "/.well-known/terraform.json", timeout=5) as r:
            return r.status == 200
    except OSError:
        return False


def _cli(b, work, env, args):
    t = time.monotonic()
    p = subprocess.run(b.java(b.jvm_flags()) + ["boring-registry"] + args, capture_output=True, text=True, env=env, cwd=work,
                       timeout=1800)
    took = time.monotonic() - t
    if p.returncode != 0:
        raise RuntimeError("boring-registry %s failed (%s): %s" % (" ".join(args[:2]), p.returncode, (p.stderr + p.stdout)[-2000:]))
    return took


def _module_tree(work, payloads, version, mode):
    """One folder per module (main.tf, a payload of random bytes, boring-registry.hcl), all under one root."""
    root = os.path.join(work, "modules-%s-%s" % (mode, version))
    for i, payload in enumerate(payloads):
        folder = os.path.join(root, "pubmod%d" % i)
        os.makedirs(folder)
        os.link(payload, os.path.join(folder, "payload.bin"))
        with open(os.path.join(folder, "main.tf"), "w") as f:
            f.write('variable "name" {}\noutput "greeting" { value = "hello, ${var.name}" }\n')
        with open(os.path.join(folder, "boring-registry.hcl"), "w") as f:
            f.write('metadata {\n  namespace = "%s"\n  name      = "pubmod%d"\n  provider  = "aws"\n  version   = "%s"\n}\n'
                    % (NAMESPACE, i, version))
    return root


def _release(b, work, name, version, zip_bytes):
    """A release of four fresh zips (no blob the registry already holds), SHA256SUMS and its gpg signature."""
    folder = os.path.join(work, "release-%s-%s" % (name, version))
    os.makedirs(folder)
    lines = []
    for os_, arch in seed.PLATFORMS:
        fname = "terraform-provider-%s_%s_%s_%s.zip" % (name, version, os_, arch)
        path = os.path.join(folder, fname)
        seed.provider_zip(path, name, zip_bytes)
        lines.append("%s  %s\n" % (seed.sha256_file(path), fname))
    sums = "".join(lines).encode()
    sums_path = os.path.join(folder, "terraform-provider-%s_%s_SHA256SUMS" % (name, version))
    with open(sums_path, "wb") as f:
        f.write(sums)
    with open(sums_path + ".sig", "wb") as f:
        f.write(b.gpg.sign(sums))
    return sums_path, 4 * zip_bytes
