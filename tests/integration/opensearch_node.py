"""A local OpenSearch node for integration tests (tools/opensearch harness), and small
HTTP helpers (urllib, JSON)."""
import json
import os
import shutil
import subprocess
import tempfile
import time
import urllib.error
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCRIPT = os.path.join(ROOT, "tools", "opensearch", "opensearch.sh")
BUILD = os.path.join(ROOT, "tools", "opensearch", "build.sh")


class Unavailable(Exception):
    """The node cannot run here (no Java/Maven, artifacts not downloadable)."""


def build_harness():
    if not shutil.which("java") or not shutil.which("mvn"):
        raise Unavailable("java and mvn are needed (scripts/setup installs them)")
    r = subprocess.run([BUILD], capture_output=True, text=True)
    if r.returncode != 0:
        raise Unavailable("building the OpenSearch harness failed (Maven Central reachable?):\n"
                          + r.stderr[-2000:])


class Node:
    def __init__(self, home=None, port=None):
        self.home = home or tempfile.mkdtemp(prefix="sysgrok-os-")
        self.port = port
        self.url = None

    def start(self, timeout=180):
        build_harness()
        env = dict(os.environ)
        if self.port:
            env["SYSGROK_OPENSEARCH_PORT"] = str(self.port)
        t0 = time.time()
        r = subprocess.run([SCRIPT, "start", self.home], capture_output=True, text=True,
                           env=env, timeout=timeout)
        if r.returncode != 0:
            raise RuntimeError("OpenSearch did not start: " + r.stderr[-3000:])
        self.url = r.stdout.strip().splitlines()[-1]
        self.port = int(self.url.rsplit(":", 1)[1])
        self.startup_s = time.time() - t0
        return self.url

    def pid(self):
        with open(os.path.join(self.home, "node.pid")) as f:
            return int(f.read().strip())

    def stop(self):
        subprocess.run([SCRIPT, "stop", self.home], capture_output=True, text=True, timeout=60)

    def kill(self):
        """Ends the JVM at once (no clean shutdown)."""
        try:
            os.kill(self.pid(), 9)
        except (OSError, ValueError):
            pass
        for _ in range(100):
            try:
                os.kill(self.pid(), 0)
            except OSError:
                break
            time.sleep(0.1)

    def remove(self):
        shutil.rmtree(self.home, ignore_errors=True)


def call(url, method="GET", body=None, timeout=60):
    data = None
    headers = {}
    if body is not None:
        data = (body if isinstance(body, str) else json.dumps(body)).encode()
        headers["Content-Type"] = "application/json"
    req = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, json.loads(resp.read() or b"{}")
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"{}")


def count(url, index, query=None):
    st, j = call(f"{url}/{index}/_count", "POST", {"query": query or {"match_all": {}}})
    if st != 200:
        raise RuntimeError(f"_count {index}: HTTP {st}: {j}")
    return j["count"]
