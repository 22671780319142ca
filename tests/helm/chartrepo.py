"""A real chart repository on loopback: `index.yaml` and `.tgz` files made by the SDK."""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from helm.helmcharts import make_chart
from mcgen.helm import native


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def serving(folder: Path) -> Iterator[str]:
    """`folder` over HTTP on 127.0.0.1 (a free port) until the block ends; its URL."""
    handler = functools.partial(_Quiet, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


CONFIGMAP = ("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\n"
             "data:\n  greeting: {{ .Values.greeting | quote }}\n")


def publish(repo: Path, name: str, version: str, greeting: str = "hello") -> Path:
    """Package chart `name` at `version` into `repo` (not yet indexed); the archive."""
    source = repo.parent / f"src-{name}-{version}-{greeting}"
    make_chart(source, name, {"cm.yaml": CONFIGMAP}, values=f"greeting: {greeting}\n")
    chart_yaml = source / name / "Chart.yaml"
    chart_yaml.write_text(chart_yaml.read_text().replace("0.1.0", version))
    repo.mkdir(parents=True, exist_ok=True)
    return Path(native.package(str(source / name), str(repo)))


def index(repo: Path, url: str) -> None:
    native.index_repository(str(repo), url)


FLEET = """\
apiVersion: mcgen.dev/v1alpha1
kind: Fleet
metadata: {{name: demo}}
spec:
  output: {{dir: clusters, engine: kustomize}}
  zones: {{us: {{regions: [us-east-1]}}}}
  clusters:
    - {{name: one, region: us-east-1, kubernetesVersion: "1.30"}}
  charts:
{pins}
"""


def fleet_repo(root: Path, *pins: tuple[str, str, str]) -> Path:
    """A repository whose fleet pins these (name, repo, version)."""
    (root / "fleets").mkdir(parents=True, exist_ok=True)
    lines = "\n".join(f"    - {{name: {n}, repo: \"{r}\", version: \"{v}\"}}" for n, r, v in pins)
    (root / "fleets" / "demo.yaml").write_text(FLEET.format(pins=lines or "    []"))
    return root
