"""A digest of mcgen's own code, for every cache key: a new version renders anew.

A module of its own, importing nothing of mcgen's but its version, so that the no-op
check (`mcgen.output.noop`) can take it at start-up without loading the renderer.
"""

from __future__ import annotations

import hashlib
import os
from functools import lru_cache

import mcgen


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """mcgen's own code, by the size and time of each file: a new version renders anew."""
    digest = hashlib.sha256(f"mcgen {mcgen.__version__}".encode())
    code = os.path.dirname(os.path.abspath(mcgen.__file__))
    for current, dirs, files in os.walk(code):
        dirs.sort()
        for name in sorted(files):
            if name.endswith((".py", ".json")):
                path = os.path.join(current, name)
                info = os.stat(path)
                digest.update(f"{path}\0{info.st_size}\0{info.st_mtime_ns}\0".encode())
    return digest.hexdigest()
