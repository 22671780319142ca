"""kubeconform behaviours a differential run found mcgen missing, each as data naming the
kubeconform (or sigs.k8s.io/yaml) source it follows. Schemas: the offline default set."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path
from typing import NamedTuple

import pytest

from mcgen.kubeconform import run

CM = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\n"
DEPLOYMENT = ("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a}\nspec:\n"
              "  selector: {matchLabels: {a: b}}\n  template:\n    metadata: {labels: {a: b}}\n"
              "    spec: {containers: [{name: a, image: b}]}\n")


class Case(NamedTuple):
    source: str  # the kubeconform source line it follows
    args: list[str]
    text: str  # written to m.yaml, the last argument
    exit: int
    expect: str  # a regex the output must match


CASES = {
    "skip-items-keep-whitespace": Case(
        "pkg/config/config.go splitCSV: strings.Split(csv, \",\"), items not trimmed",
        ["-skip", "Secret, ConfigMap", "-summary"], CM.format(name="a"), 0,
        r"Valid: 1, Invalid: 0, Errors: 0, Skipped: 0"),
    "skip-exact-item": Case(
        "pkg/config/config.go splitCSV", ["-skip", "Secret,ConfigMap", "-summary"],
        CM.format(name="a"), 0, r"Valid: 0, Invalid: 0, Errors: 0, Skipped: 1"),
    "reject-items-keep-whitespace": Case(
        "pkg/config/config.go splitCSV", ["-reject", " ConfigMap"], CM.format(name="a"), 0,
        r"^$"),
    "list-any-case": Case(
        "pkg/resource/resource.go Resources: strings.ToLower(s.Kind) == \"list\"",
        ["-summary"], "apiVersion: v1\nkind: LIST\nitems:\n- " + CM.format(name="a")
        .replace("\n", "\n  ").rstrip() + "\n", 0, r"Summary: 1 resource found"),
    "only-list-is-expanded": Case(
        "pkg/resource/resource.go Resources", ["-summary", "-ignore-missing-schemas"],
        "apiVersion: v1\nkind: ConfigMapList\nitems: []\n", 0, r"1 resource found"),
    "list-null-items": Case(
        "pkg/resource/resource.go Resources: Items []interface{} stays empty",
        ["-summary"], "apiVersion: v1\nkind: List\nitems: null\n", 0,
        r"Summary: 0 resource found in 1 file"),
    "list-missing-items": Case(
        "pkg/resource/resource.go Resources", ["-summary"], "apiVersion: v1\nkind: List\n",
        0, r"Summary: 0 resource found in 1 file"),
    "list-items-any-case": Case(
        "pkg/resource/resource.go Resources: encoding/json matches `Items` case-insensitively",
        ["-summary"], "apiVersion: v1\nkind: List\nITEMS:\n- {apiVersion: v1, kind: "
        "ConfigMap, metadata: {name: a}}\n", 0, r"Summary: 1 resource found"),
    "split-on-line-starting-with-dashes": Case(
        "pkg/resource/stream.go SplitYAMLDocument: \"\\n---\" then the rest of the line",
        ["-summary"], CM.format(name="a") + "---# not a comment to YAML\n" + CM.format(name="b"),
        0, r"Summary: 2 resources found"),
    "split-four-dashes": Case(
        "pkg/resource/stream.go SplitYAMLDocument", ["-summary"],
        CM.format(name="a") + "----\n" + CM.format(name="b"), 0, r"Summary: 2 resources"),
    "empty-mapping-document": Case(
        "pkg/validator/validator.go: r == nil only for null; {} goes to SignatureFromMap",
        [], "{}\n", 1, r"m\.yaml - failed validation: error while parsing: missing 'kind' key"),
    "kind-of-wrong-type": Case(
        "pkg/resource/resource.go SignatureFromMap: m[\"kind\"].(string)",
        ["-ignore-missing-schemas"], "apiVersion: v1\nkind: 3\nmetadata: {name: a}\n", 1,
        r"error while parsing: missing 'kind' key"),
    "api-version-of-wrong-type": Case(
        "pkg/resource/resource.go SignatureFromMap: m[\"apiVersion\"].(string)",
        ["-ignore-missing-schemas"], "apiVersion: [v1]\nkind: ConfigMap\n", 1,
        r"error while parsing: missing 'apiVersion' key"),
    "metadata-of-wrong-type": Case(
        "pkg/resource/resource.go Signature: metadata read into a Go struct",
        ["-ignore-missing-schemas"], "apiVersion: x/v1\nkind: Thing\nmetadata: [a]\n", 1,
        r"error while parsing: .*cannot unmarshal array into Go struct field \.Metadata"),
    "name-of-wrong-type": Case(
        "pkg/resource/resource.go Signature: metadata.name read into a Go string",
        ["-ignore-missing-schemas"], "apiVersion: x/v1\nkind: Thing\nmetadata: {name: {a: b}}\n",
        1, r"error while parsing: .*Metadata\.Name of type string"),
    "control-characters-in-kind": Case(
        "pkg/registry: the kind names a schema file; none has a control character",
        [], 'apiVersion: v1\nkind: "Config\\x00Map"\nmetadata: {name: a}\n', 1,
        r"could not find schema for Config\x00Map"),
    "control-characters-skipped-when-missing": Case(
        "pkg/validator/validator.go: schema == nil and IgnoreMissingSchemas: Skipped",
        ["-ignore-missing-schemas", "-summary"],
        'apiVersion: v1\nkind: "Config\\x01Map"\nmetadata: {name: a}\n', 0, r"Skipped: 1"),
    "tap-skip": Case(
        "pkg/output/tap.go Write: validator.Skipped -> \"ok %d - %s (%s) # skip\"",
        ["-output", "tap", "-skip", "ConfigMap"], CM.format(name="a"), 0,
        r"ok 1 - m\.yaml \(v1/ConfigMap//a\) # skip\n1\.\.1"),
    "tap-empty": Case(
        "pkg/output/tap.go Write: validator.Empty -> \"ok %d - %s (empty)\"",
        ["-output", "tap"], "# only a comment\n", 0, r"ok 1 - m\.yaml \(empty\)"),
    "tap-error-has-no-signature": Case(
        "pkg/output/tap.go Write: validator.Error -> \"not ok %d - %s: %s\"",
        ["-output", "tap"], "{}\n", 1, r"not ok 1 - m\.yaml: error while parsing"),
    "junit-times": Case(
        "pkg/output/junit.go Flush: Time: runtime.Seconds()",
        ["-output", "junit"], CM.format(name="a"), 0,
        r'<testsuites name="kubeconform" time="[0-9.e+-]+" .*<testcase [^>]*time="0"'),
    "json-verbose-lists-empty-documents": Case(
        "pkg/output/json.go Write: o.verbose || status not valid/skipped/empty",
        ["-output", "json", "-verbose"], "---\n# nothing\n", 0, r'"status": "statusEmpty"'),
    "validation-error-at-the-root-is-empty-path": Case(
        "pkg/validator/validator.go: path = path + \"/\" + f per InstanceLocation part",
        ["-output", "json"], "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\nbad: 1\n"
        .replace("bad: 1", "data: 1"), 1, r'"path": "/data"'),
    "strict-parse-error-names-the-object": Case(
        "pkg/output/text.go: sig from Resource.Signature(), a lenient yaml.Unmarshal",
        ["-strict"], "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {x: 1, x: 2}\n",
        1, r"m\.yaml - ConfigMap a failed validation: error unmarshalling resource"),
    "non-string-name-spelled-as-go": Case(
        "sigs.k8s.io/yaml convertToJSONableObject: FormatFloat(f, 'g', -1, 32) into a string",
        ["-output", "json", "-verbose"], "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: 1e3}"
        "\n", 1, r'"name": "1000"'),
    "kind-in-the-wrong-case-gets-the-kinds-schema": Case(
        "pkg/registry/registry.go schemaPath: ResourceKind is strings.ToLower(resourceKind); "
        "the schema's kind enum then refuses it", ["-output", "json", "-ignore-missing-schemas"],
        CM.format(name="a").replace("ConfigMap", "configmap"), 1,
        r'"status": "statusInvalid".*"path": "/kind"'),
    "api-version-with-extra-segments-names-its-first-two": Case(
        "pkg/registry/registry.go schemaPath: KindSuffix from groupParts[0] and groupParts[1]"
        " only", ["-output", "json"], DEPLOYMENT.replace("apps/v1", "apps/v1/extra"), 1,
        r'"status": "statusInvalid".*"path": "/apiVersion",\s*'
        r'"msg": "\\"apps/v1/extra\\" is not one of'),
    "api-version-group-first-dotted-part": Case(
        "pkg/registry/registry.go schemaPath: versionParts := strings.Split(groupParts[0], \".\")",
        ["-output", "json"], DEPLOYMENT.replace("apps/v1", "apps.example.com/v1"), 1,
        r'"path": "/apiVersion"'),
    "api-version-upper-case-suffix-is-lowered": Case(
        "pkg/registry/registry.go schemaPath: strings.ToLower(groupParts[1])",
        ["-output", "json"], DEPLOYMENT.replace("apps/v1", "apps/V1"), 1,
        r'"path": "/apiVersion"'),
    "kind-naming-a-sub-schema-uses-it": Case(
        "pkg/validator/validator.go downloadSchema: the schema the location returns is used",
        ["-output", "json"], DEPLOYMENT.replace("kind: Deployment", "kind: DeploymentSpec"), 1,
        r'"path": "",\s*"msg": "\\"selector\\" is a required property"'),
    "kind-with-a-path-separator-names-no-schema": Case(
        "pkg/registry/local.go: a file path that does not exist is a missing schema",
        ["-summary"], CM.format(name="a").replace("ConfigMap", "../ConfigMap"), 1,
        r"could not find schema for \.\./ConfigMap"),
}


def kubeconform(args: list[str], stdin: io.StringIO | None = None) -> tuple[int, str]:
    out = io.StringIO()
    code = run(args, stdin or _Stdin(""), out, out)
    return code, out.getvalue()


class _Stdin(io.StringIO):
    def isatty(self) -> bool:
        return False


@pytest.mark.parametrize("name", sorted(CASES))
def test_behaviour(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    case = CASES[name]
    (tmp_path / "m.yaml").write_text(case.text)
    monkeypatch.chdir(tmp_path)
    code, output = kubeconform([*case.args, "m.yaml"])
    assert code == case.exit, output
    assert re.search(case.expect, output, re.S | re.M), output


def test_a_fifo_in_a_folder_is_reported_not_waited_for(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.yaml")
    (tmp_path / "ok.yaml").write_text(CM.format(name="a"))
    code, output = kubeconform(["-summary", str(tmp_path)])
    assert code == 1 and "pipe.yaml is not a regular file" in output
