"""Files read from a repository stay in it.

A pull request can commit a symlink. Followed, `fleets/x.yaml -> ~/.git-credentials`
made mcgen quote the credentials in an error message in the CI log. Every file mcgen
finds in a repository (fleet specs, policies, CRDs, manifests in a folder it lints)
must resolve inside that repository or folder; templates are confined by their loader.
"""

from __future__ import annotations

import os

from mcgen.location import Location, Problem


def escapes(path: str, root: str) -> str | None:
    """Where `path` really leads when that is outside `root`; None when it stays inside."""
    real, top = os.path.realpath(path), os.path.realpath(root)
    return None if real == top or real.startswith(top + os.sep) else real


def refusal(shown: str, real: str, where: str = "the repository") -> Problem:
    return Problem(Location(shown), f"a symlink leading outside {where} (to {real}); "
                                    "mcgen reads only files inside it")
