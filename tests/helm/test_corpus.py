"""The real upstream charts of ../shared/corpora/charts render as Helm renders them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helm.helmcharts import needs_sdk, render
from mcgen.helm.documents import split

# Values that keep output byte-deterministic (see docs/charts.md): podinfo's test Pods
# and bitnami nginx's generated TLS Secret change on every render.
DETERMINISTIC: dict[str, tuple[dict[str, object], bool]] = {
    "podinfo": ({}, True),
    "nginx": ({"tls": {"enabled": False}}, False),
}
HOOKS = {"ingress-nginx": 7, "cert-manager": 4, "podinfo": 0}


def counts(corpora: Path) -> dict[str, dict[str, object]]:
    loaded = json.loads((corpora / "charts" / "render-counts.json").read_text())
    charts = loaded["charts"]
    assert isinstance(charts, dict)
    return charts


@needs_sdk
@pytest.mark.slow
@pytest.mark.parametrize("version", ["1.25", "1.30", "1.33"])
@pytest.mark.parametrize("name", ["podinfo", "ingress-nginx", "external-dns", "metrics-server",
                                  "cert-manager", "nginx", "prometheus-node-exporter"])
def test_object_counts_match_the_corpus(corpora: Path, name: str, version: str) -> None:
    expected = counts(corpora)[name]["renders"]
    assert isinstance(expected, dict)
    per_version = expected[f"v{version}.0"]
    values, skip_tests = DETERMINISTIC.get(name, ({}, False))
    result = render(corpora / "charts" / name, version, values, root=corpora / "charts",
                    skip_tests=skip_tests)
    assert not result.problems, result.problems
    templates = [o for o in result.objects if not o.crd]
    want = per_version["total"] - (3 if name == "podinfo" else 0) - (1 if name == "nginx" else 0)
    assert len(templates) == want
    if name in HOOKS:
        assert sum(1 for o in result.objects if o.hook) == HOOKS[name]
    crds = [o for o in result.objects if o.crd]
    assert len(crds) == (1 if name == "external-dns" else 0)
    # crds/ come first, then templates in name order
    assert result.objects[: len(crds)] == tuple(crds)
    names = [o.source for o in templates]
    assert names == sorted(names)


@needs_sdk
def test_the_engine_does_not_enforce_kube_version_so_mcgen_does(corpora: Path) -> None:
    charts = corpora / "charts"
    result = render(charts / "ingress-nginx", "1.20", root=charts)
    (problem,) = result.problems
    assert problem.file == "charts/ingress-nginx/Chart.yaml"
    assert ">=1.21.0-0" in problem.message and "v1.20.0" in problem.message
    assert not result.objects
    assert render(charts / "ingress-nginx", "1.21", root=charts).objects
    assert render(charts / "cert-manager", "1.21", root=charts).problems
    assert not render(charts / "cert-manager", "1.22", root=charts).problems


@needs_sdk
def test_crds_folder_comes_through_the_chart_object(corpora: Path) -> None:
    charts = corpora / "charts"
    result = render(charts / "external-dns", "1.30", root=charts)
    first = result.objects[0]
    assert first.crd and first.source == "external-dns/crds/dnsendpoints.externaldns.k8s.io.yaml"
    assert first.file == "charts/external-dns/crds/dnsendpoints.externaldns.k8s.io.yaml"
    assert "kind: CustomResourceDefinition" in first.text


@needs_sdk
def test_values_failing_the_charts_schema_name_the_value(corpora: Path) -> None:
    charts = corpora / "charts"
    result = render(charts / "external-dns", "1.30", {"policy": 12}, root=charts)
    (problem,) = result.problems
    assert problem.value_path == ("policy",)
    assert "got number, want string" in problem.message
    assert not result.objects


@needs_sdk
def test_library_dependency_renders_and_library_alone_is_refused(corpora: Path) -> None:
    charts = corpora / "charts"
    nginx = render(charts / "nginx", "1.30", {"tls": {"enabled": False}}, root=charts)
    assert nginx.objects and not nginx.problems
    library = render(charts / "nginx" / "charts" / "common", "1.30", root=charts)
    (problem,) = library.problems
    assert "library chart" in problem.message


def test_helm_splits_where_yaml_would_not(corpora: Path) -> None:
    rbac = corpora / "charts" / "cert-manager" / "templates" / "rbac.yaml"
    text = "---# Permission to approve\napiVersion: v1\nkind: A\n---\n\nkind: B\n---\n---\n"
    docs = list(split("c/templates/rbac.yaml", text))
    # Go's regexp as Helm uses it: `^` is the start of the text only, so the `---` right
    # after a consumed separator stays in the document (where YAML reads it as a start)
    assert [d.text for d in docs] == ["# Permission to approve\napiVersion: v1\nkind: A\n",
                                      "kind: B\n"]
    assert [d.line for d in docs] == [1, 6]
    assert rbac.is_file()


@needs_sdk
def test_cert_manager_comment_separators_split_into_objects(corpora: Path) -> None:
    charts = corpora / "charts"
    result = render(charts / "cert-manager", "1.30", root=charts)
    rbac = [o for o in result.objects if o.source == "cert-manager/templates/rbac.yaml"]
    assert len(rbac) == 21
    assert any(o.text.startswith("# Permission to approve") for o in rbac)
