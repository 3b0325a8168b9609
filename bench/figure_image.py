"""Figure image (issue 19): the container image's size, its start to the first correct answer, and its
RSS idle and under load, in the container's default settings (no --memory, no JAVA_TOOL_OPTIONS).

The image is built as ContainerImageTest and scripts/image build it, twice: Jib through Maven (jib:buildTar)
without class-data archives, the archives dumped in that image by its JVM (scripts/image-class-data, from the
class lists `package` leaves in target/: wharf.classlist and one per server beside it), and Jib again with
them (the entry point maps the server's own); both are measured in one
run, on the Debian JRE base that the test keeps in $WHARF_TEST_CACHE (default ~/.cache/wharf-tests),
served by the bench's docker-registry. podman runs it on the host's network, configured as these machines
need (bench/README.md, the shared machine notes). Where podman, runc or skopeo is missing, or the base
was never made, the figure says so and is skipped.
"""
import json
import os
import shutil
import subprocess
import tempfile
import threading
import time
import uuid

import figure_jvm
import wharfbench as wb

BASE_NAME = "debian-bookworm-openjdk-17-jre-headless"
IDLE_TARGET_MB, LOAD_TARGET_MB = 100, 256


class Podman:
    def __init__(self, work):
        self.conf = os.path.join(work, "containers.conf")
        with open(self.conf, "w") as f:
            f.write('[containers]\ndefault_ulimits = []\n[engine]\ncgroup_manager = "cgroupfs"\n')
        self.env = dict(os.environ, CONTAINERS_CONF=self.conf)

    def __call__(self, *args, timeout=600, check=True):
        cmd = ["podman", "--cgroup-manager=cgroupfs", "--runtime", shutil.which("runc")] + list(args)
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=self.env)
        if check and r.returncode != 0:
            raise RuntimeError("podman %s: %s" % (" ".join(args[:3]), (r.stderr or r.stdout)[-2000:]))
        return r.stdout.strip()


def skip_reason():
    missing = [t for t in ("podman", "runc", "skopeo") if not shutil.which(t)]
    if missing:
        return "skipped: %s not installed (apt-get install %s)" % (", ".join(missing), " ".join(missing))
    if not os.path.isfile(os.path.join(base_layout(), "index.json")):
        return "skipped: no Debian JRE base in %s (ContainerImageTest makes it once per machine)" % base_layout()
    return None


def base_layout():
    cache = os.environ.get("WHARF_TEST_CACHE") or os.path.join(os.path.expanduser("~"), ".cache", "wharf-tests")
    return os.path.join(cache, BASE_NAME)


def run(b):
    reason = skip_reason()
    if reason:
        b.row("image", "container image", reason)
        b.notes.append("figure image " + reason)
        return
    work = tempfile.mkdtemp(prefix="image-", dir=b.work)
    podman = Podman(work)
    base_ref = "%s/bench/jre:17" % b.reg
    subprocess.run(["skopeo", "copy", "--dest-tls-verify=false", "oci:%s:17" % base_layout(), "docker://" + base_ref],
                   check=True, capture_output=True, timeout=600, env=podman.env)
    # As scripts/image builds it: the image without a class-data archive, the archive dumped in it by its own JVM,
    # then the image with it. Both are measured, one after the other, in this run.
    tag = uuid.uuid4().hex[:8]
    plain = ("without class-data archive", "localhost/wharf-bench-plain:" + tag, os.path.join(work, "wharf-image-plain.tar"))
    jib(work, podman, base_ref, plain[1], plain[2])
    images = [plain]
    try:
        classlist = os.path.join(wb.ROOT, "target", "wharf.classlist")
        cds = os.path.join(work, "cds")
        if not os.path.isfile(classlist):
            b.notes.append("figure image: no target/wharf.classlist (mvn package without -Dcds.skip makes it): no image with an archive")
        else:
            podman_cmd = "podman --cgroup-manager=cgroupfs --runtime " + shutil.which("runc")
            subprocess.run([os.path.join(wb.ROOT, "scripts", "image-class-data"), plain[1], classlist, cds], check=True,
                           capture_output=True, timeout=600, env=dict(podman.env, PODMAN=podman_cmd))
            images.append(("with class-data archive", "localhost/wharf-bench:" + tag, os.path.join(work, "wharf-image.tar")))
            jib(work, podman, base_ref, images[-1][1], images[-1][2], "-Dimage.cds.dir=" + cds)
        for label, image, tar in images:
            size = int(podman("image", "inspect", "--format", "{{.Size}}", image))
            b.row("image", "image size %s (OCI archive / unpacked in podman)" % label,
                  "%.0f MB / %.0f MB" % (os.path.getsize(tar) / wb.MB, size / wb.MB))
        for label, image, _ in images:
            measure_containers(b, podman, image, label)
    finally:
        for _, image, _ in images:
            podman("rmi", "--force", image, check=False)


def jib(work, podman, base_ref, image, tar, *more):
    built = subprocess.run(["mvn", "-B", "-q", "-f", os.path.join(wb.ROOT, "pom.xml"), "-Dimage.base=" + base_ref,
                            "-Djib.allowInsecureRegistries=true", "-Djib.disableUpdateChecks=true", "-Dimage.tar=" + tar,
                            "-Dimage.name=" + image, "-Djib.applicationCache=" + os.path.join(work, "jib-cache")] + list(more)
                           + ["jib:buildTar"], capture_output=True, text=True, timeout=900, env=podman.env)
    if built.returncode != 0:
        raise RuntimeError("jib:buildTar failed: " + (built.stdout + built.stderr)[-2000:])
    podman("load", "--input", tar)


def measure_containers(b, podman, image, label):
    a = b.a
    port, tport, eport = wb.free_port(), wb.free_port(), wb.free_port()
    names = []
    common = ["run", "--detach", "--network", "host"]
    try:
        t0 = time.monotonic()
        names.append("wharf-bench-tf-" + uuid.uuid4().hex[:8])
        podman(*common, "--name", names[-1], image, "boring-registry", "server", "--storage-oci-registry", b.reg,
               "--storage-oci-insecure", "--storage-oci-repository", "boring-registry", "--listen-address", "127.0.0.1:%d" % port,
               "--listen-telemetry-address", "127.0.0.1:%d" % tport)
        tf_base, tf_path = "http://127.0.0.1:%d" % port, "/v1/providers/bench/p0/versions"
        wait_answer(podman, names[-1], tf_base, tf_path, lambda body: len(json.loads(body)["versions"]) == a.provider_versions)
        tf_start = time.monotonic() - t0
        tf_cpu = start_cpu(podman, names[-1])
        t0 = time.monotonic()
        names.append("wharf-bench-epr-" + uuid.uuid4().hex[:8])
        podman(*common, "--name", names[-1], image, "package-registry", "-feature-oci-indexer", "-oci-registry", b.reg,
               "-oci-insecure", "-oci-repository", "packages", "-oci-cache-dir", "/tmp/epr-cache", "-address", "127.0.0.1:%d" % eport,
               "-require-package-signatures=false", "-oci-refresh-interval", "0")
        epr_base, epr_path = "http://127.0.0.1:%d" % eport, "/search?kibana.version=8.15.0"
        wait_answer(podman, names[-1], epr_base, epr_path, lambda body: len(json.loads(body)) == a.package_names)
        epr_start = time.monotonic() - t0
        epr_cpu = start_cpu(podman, names[-1])
        b.row("image", "container start (podman run → first correct answer) boring-registry / package-registry, %s" % label,
              "%.2f s / %.2f s" % (tf_start, epr_start))
        b.row("image", "JVM CPU to the first correct answer (less sensitive to the machine's load) boring-registry / "
              "package-registry, %s" % label, "%.2f s / %.2f s" % (tf_cpu, epr_cpu))

        pids = {k: int(podman("inspect", "--format", "{{.State.Pid}}", n)) for k, n in zip(("tf", "epr"), names)}
        idle, idle_at2, idle_wait = wb.idle_rss_kb(pids, 4.0 if a.smoke else 20.0)
        servers = {k: type("P", (), {"pid": p}) for k, p in pids.items()}
        peak, stop, sampler = figure_jvm.sample_peaks(servers)
        try:
            for url in (tf_base + tf_path, epr_base + epr_path):
                if a.warmup > 0:
                    b.wrk(url, a.warmup)
                rps, p99, bad, _ = b.wrk(url, a.duration)
                if bad:
                    b.notes.append("figure image: %d non-2xx answers from %s" % (bad, url))
        finally:
            stop.set()
            sampler.join()
        ok = max(idle.values()) <= IDLE_TARGET_MB * 1024 and max(peak.values()) <= LOAD_TARGET_MB * 1024
        b.row("image", "RSS in the container's default settings: idle / peak under wrk (boring-registry, package-registry), %s" % label,
              "idle %s, load %.0f / %.0f MB" % (wb.idle_text(idle, idle_at2, idle_wait, ("tf", "epr")), peak["tf"] / 1024, peak["epr"] / 1024),
              "", "", "≤ %d / ≤ %d MB" % (IDLE_TARGET_MB, LOAD_TARGET_MB), ok)
    finally:
        for n in names:
            podman("rm", "--force", n, check=False)


def start_cpu(podman, name):
    """CPU seconds the container's JVM (its first process: the entry point's shell execs java) has used, read just after its
    first correct answer."""
    return wb.cpu_seconds(int(podman("inspect", "--format", "{{.State.Pid}}", name)))


def wait_answer(podman, name, base, path, correct, timeout=180):
    """Waits for the container's first answer to GET `path` that `correct(body)` takes, asked over one kept-alive
    connection (wb.KeptConnection), as figure 3 asks."""
    conn = wb.KeptConnection(base)
    try:
        _wait_answer(podman, name, conn, path, correct, timeout)
    finally:
        conn.close()


def _wait_answer(podman, name, conn, path, correct, timeout):
    def check():
        status, body = conn.get(path)
        return status == 200 and correct(body)

    end = time.monotonic() + timeout
    next_look = time.monotonic() + 1
    while time.monotonic() < end:
        try:
            if check():
                return
        except (OSError, ValueError, KeyError):
            pass
        if time.monotonic() > next_look:  # podman itself takes a while to answer: once a second
            next_look = time.monotonic() + 1
            if podman("inspect", "--format", "{{.State.Running}}", name, check=False) != "true":
                raise RuntimeError("container %s stopped: %s" % (name, podman("logs", name, check=False)[-2000:]))
        time.sleep(0.02)
    raise wb.Deadline("container %s: no correct answer from %s%s within %ss" % (name, conn.base, path, timeout))
