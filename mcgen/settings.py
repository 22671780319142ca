"""The MCGEN_* environment variables: read in one place, a malformed value is a usage
error (exit 2) saying what to set, never a crash or a silently ignored setting."""

from __future__ import annotations

import math
import os

from mcgen.errors import UsageError

KUBECONFORM_CHOICES = ("builtin", "binary", "")


def _bad(name: str, value: str, wanted: str) -> UsageError:
    return UsageError(f"environment variable {name}={value!r} is not valid: {wanted} "
                      f"(or unset it for the default)")


def lock_wait() -> float:
    """MCGEN_LOCK_WAIT: seconds a render waits for another one to finish (default 60)."""
    value = os.environ.get("MCGEN_LOCK_WAIT", "").strip()
    if not value:
        return 60.0
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not math.isfinite(seconds) or seconds < 0:
        raise _bad("MCGEN_LOCK_WAIT", value, "it must be a number of seconds, such as 60")
    return seconds


def jobs() -> int | None:
    """MCGEN_JOBS: how many processes to use (default: one per core), None when unset."""
    value = os.environ.get("MCGEN_JOBS", "").strip()
    if not value:
        return None
    if not value.isdigit() or int(value) < 1:
        raise _bad("MCGEN_JOBS", value, "it must be a whole number of processes, 1 or more")
    return int(value)


def kubeconform() -> str:
    """MCGEN_KUBECONFORM: `builtin` to validate in-process even when a kubeconform binary
    is on PATH."""
    value = os.environ.get("MCGEN_KUBECONFORM", "").strip()
    if value not in KUBECONFORM_CHOICES:
        raise _bad("MCGEN_KUBECONFORM", value, "it must be 'builtin' or 'binary'")
    return value


def cache_dir() -> str | None:
    """MCGEN_CACHE_DIR: the folder of mcgen's own caches outside any repository (compiled
    templates); `off` for none. Default: $XDG_CACHE_HOME/mcgen, else ~/.cache/mcgen."""
    value = os.environ.get("MCGEN_CACHE_DIR", "").strip()
    if value == "off":
        return None
    if value:
        if not os.path.isabs(value):
            raise _bad("MCGEN_CACHE_DIR", value, "it must be an absolute path, or 'off'")
        return value
    base = os.environ.get("XDG_CACHE_HOME", "").strip()
    if not os.path.isabs(base):  # the XDG spec: a relative value is to be ignored
        base = os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "mcgen")


def check_all() -> None:
    """Every setting, read once at start-up so that a typo is reported before any work."""
    lock_wait()
    jobs()
    kubeconform()
    cache_dir()
