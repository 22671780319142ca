"""The one module that imports `helm_python` (PyPI `helm-python-sdk`, Helm 4's Go SDK).

Everything Helm does in-process goes through here, so an upgrade of the SDK touches this
file only. Results leave as plain typed Python values; the SDK's exceptions leave as
`HelmFailure`, never as themselves.

Two things the SDK's Python wrapper does not offer are used from its native library
directly: `helm_render` takes `kube_version` and `api_versions` options (the wrapper's
`Chart.render` drops them), and the Go standard logger, which Helm uses for warnings such
as "destination for x is a table", writes to file descriptor 2 behind Python's back, so
each native call runs with descriptor 2 pointed at a temporary file whose text is kept.

The Go runtime does not survive `fork`: a forked worker must never call in here. mcgen's
workers compute keys and write files only; every render runs in the main process.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import tempfile
from collections.abc import Iterator, Mapping
from typing import NamedTuple

from mcgen import realstderr

PACKAGE = "helm-python-sdk"
PINNED = "0.2.2"  # keep in step with pyproject.toml's `helm` extra


class HelmFailure(Exception):
    """A chart that cannot be loaded, or values or a template Helm refused."""

    def __init__(self, message: str, kind: str = "render") -> None:
        super().__init__(message)
        self.message = message
        self.kind = kind  # "load", "values", "render", "repo", "registry", "missing"


class ChartCrd(NamedTuple):
    name: str  # "crds/x.yaml" inside the chart that holds it
    shown: str  # "chart/crds/x.yaml", as Helm names it (subcharts: "a/charts/b/crds/x.yaml")
    text: str


def sdk_available() -> bool:
    """Whether the SDK is installed (it is an optional extra: `mcgen-gitops[helm]`)."""
    return importlib.util.find_spec("helm_python") is not None


def missing_message() -> str:
    return (f"this fleet uses Helm charts, which need the optional package {PACKAGE}: "
            f"install it with `pip install 'mcgen-gitops[helm]'` (or `pip install "
            f"{PACKAGE}=={PINNED}`); in a pre-commit hook, add `additional_dependencies: "
            f"['{PACKAGE}=={PINNED}']`")


@contextlib.contextmanager
def _captured(warnings: list[str]) -> Iterator[None]:
    """Descriptor 2 into a temporary file while Go runs; its text into `warnings`."""
    with tempfile.TemporaryFile() as sink:
        saved = os.dup(2)
        realstderr.lend(saved)  # a Ctrl-C meanwhile is still said to the user
        os.dup2(sink.fileno(), 2)
        try:
            yield
        finally:
            os.dup2(saved, 2)
            realstderr.give_back()
            os.close(saved)
            sink.seek(0)
            text = sink.read().decode("utf-8", "replace")
            warnings.extend(_warning_lines(text))


def _warning_lines(text: str) -> list[str]:
    """Go log lines without their date and time prefix."""
    lines = []
    for line in text.splitlines():
        parts = line.split(" ", 2)
        lines.append(parts[2] if len(parts) == 3 and parts[0].count("/") == 2 else line)
    return [line for line in lines if line.strip()]


def _kind_of(exc: Exception) -> str:
    name = type(exc).__name__
    for marker, kind in (("ChartLoad", "load"), ("ChartInvalid", "load"), ("Values", "values"),
                         ("Repo", "repo"), ("Registry", "registry"), ("NotFound", "missing"),
                         ("IO", "load")):
        if marker in name:
            return kind
    return "render"


@contextlib.contextmanager
def _sdk(warnings: list[str] | None = None) -> Iterator[None]:
    """Run SDK calls: their stderr captured, their exceptions as HelmFailure."""
    import helm_python

    with _captured([] if warnings is None else warnings):
        try:
            yield
        except helm_python.HelmError as exc:
            raise HelmFailure(str(exc).strip(), _kind_of(exc)) from None


class LoadedChart:
    """A chart loaded by the SDK; closed when garbage collected."""

    def __init__(self, path: str) -> None:
        import helm_python

        self.path = path
        self._crds: tuple[ChartCrd, ...] | None = None
        with _sdk():
            self._chart = helm_python.Chart.load(path)
            self.metadata: dict[str, object] = dict(self._chart.metadata)

    @property
    def name(self) -> str:
        return str(self.metadata.get("name") or "")

    @property
    def version(self) -> str:
        return str(self.metadata.get("version") or "")

    def crds(self) -> tuple[ChartCrd, ...]:
        """The files of `crds/` of the chart and its subcharts, in Helm's order."""
        if self._crds is None:
            with _sdk():
                found = self._chart.crds
            self._crds = tuple(ChartCrd(str(c.get("name", "")), str(c.get("filename", "")),
                                        str(c.get("data", ""))) for c in found)
        return self._crds

    def render(self, values: Mapping[str, object], release: str, namespace: str,
               kube_version: str, api_versions: tuple[str, ...], warnings: list[str]
               ) -> dict[str, str]:
        """Each template's rendered text by Helm's name for it (`chart/templates/x.yaml`)."""
        from helm_python import _native

        options = {"name": release, "namespace": namespace, "is_install": True,
                   "kube_version": kube_version, "api_versions": list(api_versions)}
        with _sdk(warnings):
            text = _native.call_string("helm_render", self._chart._raw(),
                                       json.dumps(values), json.dumps(options))
        rendered = json.loads(text)
        return {str(k): str(v) for k, v in rendered.items()} if isinstance(rendered, dict) else {}


def archive_digest(archive: str) -> str:
    """`sha256:<hex>` of a chart archive, as repository indexes carry it."""
    import helm_python

    with _sdk():
        return str(helm_python.digest(archive))


def package(chart_dir: str, destination: str) -> str:
    """Package a chart folder into `destination`; the archive's path."""
    import helm_python

    with _sdk():
        return str(helm_python.package(chart_dir, destination=destination))


def index_repository(folder: str, base_url: str) -> None:
    """Write `folder/index.yaml` for the archives in it (`helm repo index`)."""
    import helm_python

    with _sdk():
        helm_python.repo_index_generate(folder, base_url=base_url)


def repository_versions(repo_url: str, name: str) -> dict[str, str]:
    """Each version of chart `name` in an HTTP repository, with its digest ("" if none)."""
    import helm_python

    with _sdk():
        index = helm_python.repo_index(repo_url)
    entries = index.get("entries")
    found = entries.get(name) if isinstance(entries, dict) else None
    versions: dict[str, str] = {}
    for entry in found if isinstance(found, list) else []:
        if isinstance(entry, dict) and entry.get("version") is not None:
            versions[str(entry["version"])] = str(entry.get("digest") or "")
    return versions


def pull(ref: str, version: str, repo_url: str | None, destination: str) -> str:
    """Download a chart archive into `destination` (HTTP repository or `oci://`)."""
    import helm_python

    plain = bool(repo_url is None and _is_loopback(ref))
    with _sdk():
        helm_python.pull(ref, version=version, repo_url=repo_url, destination=destination,
                         plain_http=plain)
    archives = [n for n in os.listdir(destination) if n.endswith(".tgz")]
    if len(archives) != 1:
        raise HelmFailure(f"pulling {ref} {version} gave {len(archives)} archives, not one",
                          "repo")
    return os.path.join(destination, archives[0])


def push(archive: str, remote: str) -> None:
    """Upload a chart archive to an `oci://` registry (plain HTTP on loopback only)."""
    import helm_python

    with _sdk():
        helm_python.push(archive, remote, plain_http=_is_loopback(remote))


def _is_loopback(ref: str) -> bool:
    """An `oci://` reference to this machine: a local test registry speaks plain HTTP."""
    host = ref.removeprefix("oci://").split("/", 1)[0].rsplit(":", 1)[0]
    return host in ("localhost", "127.0.0.1", "[::1]")
