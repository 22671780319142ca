"""Only mcgen.yaml imports the YAML libraries: an upgrade touches one package."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "mcgen"
LIBRARIES = {"yaml", "ruamel", "yaml_rs", "_ruamel_yaml"}


def imported_roots(path: Path) -> set[str]:
    roots: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


def test_only_the_yaml_package_imports_yaml_libraries() -> None:
    outside = sorted(
        str(path.relative_to(PACKAGE)) for path in PACKAGE.rglob("*.py")
        if "yaml" not in path.relative_to(PACKAGE).parts[:1]
        and imported_roots(path) & LIBRARIES
    )
    assert outside == []


def test_the_yaml_package_does_import_them() -> None:
    inside = set().union(*(imported_roots(p) for p in (PACKAGE / "yaml").glob("*.py")))
    assert {"yaml", "ruamel", "yaml_rs"} <= inside


def loads_ruamel(text: str) -> bool:
    """Whether reading `text` through `load_text` imports ruamel, in a fresh interpreter."""
    code = ("import sys; from mcgen.yaml.source import load_text; "
            f"docs = load_text({text!r}, 'x.yaml'); "
            "print(docs[0].value, any(m.startswith('ruamel') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.split()
    return out[-1] == "True"


def test_ruamel_is_imported_only_for_a_text_libyaml_declines() -> None:
    assert not loads_ruamel("spec:\n  clusters: [{name: a}]\n")  # most commands' start
    assert loads_ruamel("a: &x 1\nb: *x\n")  # an alias: only ruamel reads it as expected
