"""The bundled Kubernetes schemas are found without running kubernetes-validate's code,
which imports jsonschema, referencing and attrs: a lint never needs them."""

from __future__ import annotations

import subprocess
import sys
from importlib import resources

from mcgen.schemas.kubernetes import available_versions, schema_root


def test_the_schema_folder_is_the_packages_own() -> None:
    shipped = resources.files("kubernetes_validate").joinpath("kubernetes-json-schema")
    assert schema_root() == str(shipped)
    assert "1.31" in available_versions()


def test_finding_the_schemas_imports_no_validator() -> None:
    code = ("import sys; from mcgen.schemas.kubernetes import available_versions, kind_schema,"
            " SchemaKey; available_versions();"
            " assert kind_schema(SchemaKey('1.31', True, 'v1', 'ConfigMap'));"
            " print(sorted(m for m in ('kubernetes_validate', 'jsonschema', 'attrs', 'referencing')"
            " if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"
