"""Seeds a docker-registry with Terraform and EPR data in Wharf's storage layout (docs/terraform-layout.md,
docs/epr-layout.md), over the plain OCI distribution API. Standard library only.

The content is generated here: module tarballs, provider zips, gpg-signed SHA256SUMS, and package zips with
a manifest.yml, a data stream, docs and images of the requested size.
"""
import hashlib
import http.client
import io
import json
import os
import subprocess
import tarfile
import threading
import zipfile
from concurrent.futures import ThreadPoolExecutor

OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
EMPTY_CONFIG = {"mediaType": "application/vnd.oci.empty.v1+json",
                "digest": "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a", "size": 2}
TITLE = "org.opencontainers.image.title"
PLATFORMS = [("darwin", "arm64"), ("linux", "amd64"), ("linux", "arm64"), ("windows", "amd64")]


_SHA_CACHE = {}


def sha256_file(path):
    key = (path, os.path.getsize(path), os.path.getmtime(path))
    if key in _SHA_CACHE:
        return _SHA_CACHE[key]
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while True:
            chunk = f.read(1 << 20)
            if not chunk:
                _SHA_CACHE[key] = h.hexdigest()
                return _SHA_CACHE[key]
            h.update(chunk)


class Registry:
    """A tiny OCI distribution client: monolithic blob uploads and manifest PUTs, one connection per thread."""

    def __init__(self, host, port):
        self.host, self.port = host, port
        self.local = threading.local()
        self.known = set()
        self.blob_locks = {}
        self.lock = threading.Lock()

    def _conn(self):
        c = getattr(self.local, "conn", None)
        if c is None:
            c = http.client.HTTPConnection(self.host, self.port, timeout=120)
            self.local.conn = c
        return c

    def _request(self, method, path, body=None, headers=None):
        for attempt in range(2):
            c = self._conn()
            try:
                c.request(method, path, body=body, headers=headers or {})
                r = c.getresponse()
                data = r.read()
                return r.status, dict((k.lower(), v) for k, v in r.getheaders()), data
            except (http.client.HTTPException, ConnectionError, OSError):
                c.close()
                self.local.conn = None
                if attempt == 1 or (body is not None and hasattr(body, "read")):
                    raise
        raise RuntimeError("unreachable")

    def push_blob(self, repo, data=None, path=None):
        """Pushes bytes or a file; returns its descriptor fields (digest, size)."""
        if path is not None:
            digest, size = "sha256:" + sha256_file(path), os.path.getsize(path)
        else:
            digest, size = "sha256:" + hashlib.sha256(data).hexdigest(), len(data)
        key = (repo, digest)
        with self.lock:
            if key in self.known:
                return digest, size
            # docker-registry loses blobs uploaded twice at the same time: one upload per digest.
            blob_lock = self.blob_locks.setdefault(key, threading.Lock())
        with blob_lock:
            return self._push_blob_once(repo, key, digest, size, data, path)

    def _push_blob_once(self, repo, key, digest, size, data, path):
        with self.lock:
            if key in self.known:
                return digest, size
        status, _, _ = self._request("HEAD", "/v2/%s/blobs/%s" % (repo, digest))
        if status != 200:
            status, headers, body = self._request("POST", "/v2/%s/blobs/uploads/" % repo, body=b"",
                                                  headers={"Content-Length": "0"})
            if status != 202:
                raise RuntimeError("upload start %s: %s %s" % (repo, status, body[:200]))
            location = headers["location"]
            if location.startswith("http"):
                location = "/" + location.split("/", 3)[3]
            sep = "&" if "?" in location else "?"
            hdrs = {"Content-Type": "application/octet-stream", "Content-Length": str(size)}
            if path is not None:
                with open(path, "rb") as f:
                    status, _, body = self._request("PUT", location + sep + "digest=" + digest, body=f, headers=hdrs)
            else:
                status, _, body = self._request("PUT", location + sep + "digest=" + digest, body=data, headers=hdrs)
            if status != 201:
                raise RuntimeError("blob PUT %s: %s %s" % (repo, status, body[:200]))
        with self.lock:
            self.known.add(key)
        return digest, size

    def push_artifact(self, repo, tag, artifact_type, layers, annotations=None):
        """layers: list of (media_type, title, bytes-or-None, path-or-None)."""
        self.push_blob(repo, data=b"{}")
        descs = []
        for media_type, title, data, path in layers:
            digest, size = self.push_blob(repo, data=data, path=path)
            descs.append({"mediaType": media_type, "digest": digest, "size": size, "annotations": {TITLE: title}})
        manifest = {"schemaVersion": 2, "mediaType": OCI_MANIFEST, "artifactType": artifact_type,
                    "config": EMPTY_CONFIG, "layers": descs}
        if annotations:
            manifest["annotations"] = annotations
        body = json.dumps(manifest, separators=(",", ":")).encode()
        status, _, resp = self._request("PUT", "/v2/%s/manifests/%s" % (repo, tag), body=body,
                                        headers={"Content-Type": OCI_MANIFEST})
        if status != 201:
            raise RuntimeError("manifest PUT %s:%s: %s %s" % (repo, tag, status, resp[:200]))

    def blob_path(self, repo, digest):
        return "/v2/%s/blobs/%s" % (repo, digest)


class Gpg:
    """A throw-away signing key in its own GNUPGHOME."""

    def __init__(self, home):
        self.home = home
        os.makedirs(home, mode=0o700, exist_ok=True)
        self.env = dict(os.environ, GNUPGHOME=home)
        self._run(["--quick-gen-key", "Wharf Bench <bench@example.invalid>", "rsa2048", "sign", "never"])
        out = self._run(["--with-colons", "--list-keys"]).decode()
        self.key_id = [l.split(":")[4] for l in out.splitlines() if l.startswith("pub:")][0]
        self.armor = self._run(["--armor", "--export", self.key_id]).decode()

    def _run(self, args, stdin=None):
        return subprocess.run(["gpg", "--batch", "--pinentry-mode", "loopback", "--passphrase", ""] + args,
                              env=self.env, input=stdin, capture_output=True, check=True, timeout=60).stdout

    def sign(self, data):
        return self._run(["--detach-sign", "-o", "-"], stdin=data)

    def close(self):
        subprocess.run(["gpgconf", "--kill", "all"], env=self.env, capture_output=True, timeout=20)


# ---------------------------------------------------------------- content

def random_file(path, size):
    with open(path, "wb") as f:
        left = size
        while left > 0:
            n = min(left, 1 << 20)
            f.write(os.urandom(n))
            left -= n


def provider_zip(path, name, size):
    """A stored (uncompressed) zip holding one random binary of about `size` bytes, as a real release is."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as z:
        with z.open("terraform-provider-%s" % name, "w", force_zip64=size > (1 << 31)) as out:
            left = max(size - 200, 1)
            while left > 0:
                n = min(left, 1 << 20)
                out.write(os.urandom(n))
                left -= n


def module_tgz(name, version):
    buf = io.BytesIO()
    files = {"main.tf": 'variable "name" {}\noutput "greeting" { value = "hello, ${var.name} from %s %s" }\n' % (name, version),
             "README.md": "# %s\n\nBenchmark module, version %s.\n" % (name, version)}
    with tarfile.open(fileobj=buf, mode="w:gz") as t:
        for fname, text in files.items():
            data = text.encode()
            info = tarfile.TarInfo(fname)
            info.size = len(data)
            info.mtime = 0
            t.addfile(info, io.BytesIO(data))
    return buf.getvalue()


# Categories EPR knows (its list says "datastore" for databases): an unknown one is dropped with a warning per package.
CATEGORIES = ["security", "observability", "web", "network", "cloud", "datastore", "containers", "os_system"]


def package_zip(path, name, version, image_bytes, padding_bytes=0, title=None):
    """An EPR package zip {name}-{version}/… with an icon, a screenshot, a data stream and docs."""
    root = "%s-%s/" % (name, version)
    h = sum(name.encode())
    cats = [CATEGORIES[h % len(CATEGORIES)], CATEGORIES[(h + 3) % len(CATEGORIES)]]
    manifest = """format_version: 3.0.0
name: {name}
title: {title}
version: {version}
description: Benchmark package {name} {version}.
type: integration
categories: [{cats}]
conditions:
  kibana.version: "^8.10.0 || ^9.0.0"
  elastic:
    subscription: basic
icons:
  - src: /img/icon.svg
    title: {name} icon
    size: 32x32
    type: image/svg+xml
screenshots:
  - src: /img/screenshot.png
    title: {name} dashboard
    size: 1920x1080
    type: image/png
owner:
  github: wharf/bench
  type: community
source:
  license: Apache-2.0
policy_templates:
  - name: logs
    title: {name} logs
    description: Collect {name} logs
    data_streams:
      - access
    inputs:
      - type: logfile
        title: Log files
        description: Read log files
""".format(name=name, title=title or name.replace("_", " ").title(), version=version, cats=", ".join(cats))
    ds_manifest = """title: Access
type: logs
streams:
  - input: logfile
    title: Access log files
    description: Access log files
    vars:
      - name: paths
        type: text
        title: Paths
        multi: true
        required: true
        show_user: true
        default:
          - /var/log/%s/access.log
""" % name
    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="32" height="32"><rect width="32" height="32"/></svg>\n'
    png = b"\x89PNG\r\n\x1a\n" + os.urandom(max(image_bytes - 8, 0))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(root + "manifest.yml", manifest)
        z.writestr(root + "changelog.yml", "- version: %s\n  changes:\n    - description: Release\n      type: enhancement\n"
                   "      link: https://example.invalid/1\n" % version)
        z.writestr(root + "docs/README.md", "# %s\n\nBenchmark package.\n" % name)
        z.writestr(root + "img/icon.svg", svg)
        z.writestr(root + "img/screenshot.png", png, compress_type=zipfile.ZIP_STORED)
        z.writestr(root + "data_stream/access/manifest.yml", ds_manifest)
        z.writestr(root + "data_stream/access/fields/base-fields.yml",
                   "- name: data_stream.type\n  type: constant_keyword\n- name: '@timestamp'\n  type: date\n")
        if padding_bytes > 0:
            # Stored, as media already compressed would be; deflating random bytes only burns time.
            info = zipfile.ZipInfo(root + "img/video.bin", date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_STORED
            with z.open(info, "w", force_zip64=True) as out:
                left = padding_bytes
                while left > 0:
                    n = min(left, 1 << 20)
                    out.write(os.urandom(n))
                    left -= n
    return path


# ---------------------------------------------------------------- Terraform layout

TF_BASE = "boring-registry"


def seed_signing_keys(reg, gpg, namespace):
    body = json.dumps({"gpg_public_keys": [{"key_id": gpg.key_id, "ascii_armor": gpg.armor}]}).encode()
    reg.push_artifact("%s/providers/%s" % (TF_BASE, namespace), "signing-keys.json",
                      "application/vnd.wharf.terraform.signing-keys.v1",
                      [("application/vnd.wharf.terraform.signing-keys.v1+json", "signing-keys.json", body, None)])


def seed_modules(reg, namespace, count, versions, pool):
    jobs = []
    for m in range(count):
        name = "mod%d" % m
        repo = "%s/modules/%s/%s/aws" % (TF_BASE, namespace, name)
        for v in range(versions):
            version = "1.%d.0" % v
            tgz = module_tgz(name, version)
            jobs.append(pool.submit(reg.push_artifact, repo, "%s-%s-aws-%s" % (namespace, name, version),
                                    "application/vnd.wharf.terraform.module.v1",
                                    [("application/vnd.wharf.terraform.module.layer.v1.tar+gzip",
                                      "%s-%s-aws-%s.tar.gz" % (namespace, name, version), tgz, None)],
                                    {"org.opencontainers.image.version": version}))
    for j in jobs:
        j.result()


FLAT_BASE = "flat/boring-registry"


def seed_flat_and_nested_module(reg, namespace, name, versions, total_tags, pool):
    """The same module (``versions`` versions) nested below TF_BASE and flat in FLAT_BASE, the flat repository
    filled with other modules' tags up to ``total_tags`` (docs/terraform-layout.md, "The flat layout")."""
    tgz = module_tgz(name, "1.0.0")
    layer = lambda n, v: [("application/vnd.wharf.terraform.module.layer.v1.tar+gzip", "%s-%s-aws-%s.tar.gz" % (namespace, n, v), tgz, None)]
    jobs = []

    def flat_tag(n, v):
        return "modules..%s..%s..aws._%s-%s-aws-%s" % (namespace, n, namespace, n, v)

    def annotations(n, v):
        return {"org.opencontainers.image.version": v,
                "dev.wharf.terraform.flat.reference": "modules/%s/%s/aws:%s-%s-aws-%s" % (namespace, n, namespace, n, v)}

    for v in range(versions):
        version = "1.%d.0" % v
        jobs.append(pool.submit(reg.push_artifact, "%s/modules/%s/%s/aws" % (TF_BASE, namespace, name),
                                "%s-%s-aws-%s" % (namespace, name, version), "application/vnd.wharf.terraform.module.v1",
                                layer(name, version), {"org.opencontainers.image.version": version}))
        jobs.append(pool.submit(reg.push_artifact, FLAT_BASE, flat_tag(name, version), "application/vnd.wharf.terraform.module.v1",
                                layer(name, version), annotations(name, version)))
    for i in range(max(0, total_tags - versions)):
        other, version = "filler%d" % (i // 10), "1.%d.0" % (i % 10)
        jobs.append(pool.submit(reg.push_artifact, FLAT_BASE, flat_tag(other, version), "application/vnd.wharf.terraform.module.v1",
                                layer(other, version), annotations(other, version)))
    for j in jobs:
        j.result()


def release_files(workdir, gpg, name, version, zip_path, platforms=PLATFORMS):
    """Writes a release directory as `boring-registry upload provider` expects it; returns the SHA256SUMS path."""
    os.makedirs(workdir, exist_ok=True)
    digest = sha256_file(zip_path)
    lines = []
    for os_, arch in platforms:
        fname = "terraform-provider-%s_%s_%s_%s.zip" % (name, version, os_, arch)
        target = os.path.join(workdir, fname)
        if not os.path.exists(target):
            os.link(zip_path, target)
        lines.append("%s  %s\n" % (digest, fname))
    sums = "".join(lines).encode()
    sums_path = os.path.join(workdir, "terraform-provider-%s_%s_SHA256SUMS" % (name, version))
    with open(sums_path, "wb") as f:
        f.write(sums)
    with open(sums_path + ".sig", "wb") as f:
        f.write(gpg.sign(sums))
    return sums_path


def push_provider_version(reg, gpg, namespace, name, version, zip_path, platforms=PLATFORMS):
    repo = "%s/providers/%s/%s" % (TF_BASE, namespace, name)
    digest = sha256_file(zip_path)
    atype = "application/vnd.wharf.terraform.provider.v1"
    sums_lines = []
    for os_, arch in platforms:
        fname = "terraform-provider-%s_%s_%s_%s.zip" % (name, version, os_, arch)
        reg.push_artifact(repo, fname, atype, [("application/vnd.wharf.terraform.provider.archive.v1.zip", fname, None, zip_path)])
        sums_lines.append("%s  %s\n" % (digest, fname))
    sums = "".join(sums_lines).encode()
    sums_name = "terraform-provider-%s_%s_SHA256SUMS" % (name, version)
    reg.push_artifact(repo, sums_name, atype, [("application/vnd.wharf.terraform.provider.sha256sums.v1", sums_name, sums, None)])
    reg.push_artifact(repo, sums_name + ".sig", atype,
                      [("application/vnd.wharf.terraform.provider.sha256sums.signature.v1", sums_name + ".sig", gpg.sign(sums), None)])


def seed_provider(reg, gpg, namespace, name, versions, zip_path, pool, platforms=PLATFORMS):
    jobs = [pool.submit(push_provider_version, reg, gpg, namespace, name, "%d.%d.0" % (1 + v // 100, v % 100), zip_path, platforms)
            for v in range(versions)]
    for j in jobs:
        j.result()


# ---------------------------------------------------------------- EPR layout

def push_package(reg, repo, zip_path, name, version):
    reg.push_artifact(repo, "%s-%s" % (name, version), "application/vnd.wharf.epr.package.v1",
                      [("application/zip", "%s-%s.zip" % (name, version), None, zip_path)])


def seed_packages(reg, repo, workdir, names, versions_per_name, image_bytes, pool, prefix="bench", keep=False):
    """Pushes the packages as plain oras artifacts (the zip alone, the empty config); keep: leave the zips in
    workdir and return their paths, for `package-registry push` to push them again elsewhere."""
    os.makedirs(workdir, exist_ok=True)

    def one(n, v):
        name, version = "%s_pkg%d" % (prefix, n), "1.%d.0" % v
        path = package_zip(os.path.join(workdir, "%s-%s.zip" % (name, version)), name, version, image_bytes)
        push_package(reg, repo, path, name, version)
        if not keep:
            os.unlink(path)
        return path

    jobs = [pool.submit(one, n, v) for n in range(names) for v in range(versions_per_name)]
    return [j.result() for j in jobs]


def new_pool(workers=6):
    return ThreadPoolExecutor(max_workers=workers)
