"""The kustomize the user has: `kustomize` on PATH, else `kubectl kustomize`."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
from typing import NamedTuple

BUILD_TIMEOUT_S = 300
_KUBECTL_ERROR = re.compile(r'err="(.*)"\s*$', re.S)


class Tool(NamedTuple):
    command: tuple[str, ...]  # the build command, before the folder
    identity: str  # the binary's path, size and time: part of every build's key


def find_tool() -> Tool | None:
    """The kustomize to build with, or None when neither is on PATH."""
    for name, command in (("kustomize", ("build",)), ("kubectl", ("kustomize",))):
        found = shutil.which(name)
        if found:
            real = os.path.realpath(found)
            info = os.stat(real)
            return Tool((found, *command), f"{real}:{info.st_size}:{info.st_mtime_ns}")
    return None


class Built(NamedTuple):
    text: str  # kustomize's output ("" on failure)
    error: str  # kustomize's own message ("" on success)
    wrapper: str = ""  # the folder the origin annotations' paths are relative to


def build(tool: Tool, root: str, folder: str) -> Built:
    """Build repo-relative `folder` with origin annotations (each object names the file
    it came from), through a wrapper kustomization outside the repository."""
    with tempfile.TemporaryDirectory(prefix="mcgen-kustomize-") as wrapper:
        target = os.path.relpath(os.path.realpath(os.path.join(root, folder)),
                                 os.path.realpath(wrapper))
        with open(os.path.join(wrapper, "kustomization.yaml"), "w", encoding="utf-8") as out:
            out.write(f"resources:\n- {json.dumps(target)}\nbuildMetadata: [originAnnotations]\n")
        try:
            done = subprocess.run([*tool.command, wrapper], capture_output=True, text=True,
                                  timeout=BUILD_TIMEOUT_S, check=False, cwd=wrapper)
        except subprocess.TimeoutExpired:
            return Built("", f"kustomize did not finish within {BUILD_TIMEOUT_S} s")
        except OSError as exc:
            return Built("", f"kustomize could not run: {exc}")
        if done.returncode != 0:
            return Built("", _message(done.stderr, root, wrapper))
        return Built(done.stdout, "", os.path.realpath(wrapper))


def _message(stderr: str, root: str, wrapper: str) -> str:
    """kustomize's message, without kubectl's log prefix or the folders' full paths."""
    text = stderr.strip()
    found = _KUBECTL_ERROR.search(text)
    if found:
        text = found.group(1).replace('\\"', '"')
    text = text.removeprefix("Error: ").removeprefix("error: ")
    for folder in (os.path.realpath(root), root):
        text = text.replace(folder + os.sep, "")
    return text.replace(os.path.realpath(wrapper), "<mcgen's wrapper>") or "kustomize failed"
