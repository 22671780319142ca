"""Template errors name the pair: the path, the cluster and component, what exists there
and which clusters lack it; Go template syntax gets the `{% raw %}` advice."""

from __future__ import annotations

from pathlib import Path

from conftest import run_cli

from sources.fleetrepo import make_repo

WEB = """    - name: web
      template: web
      namespace: web
      placement: {groups: [web]}
      values: {replicas: 2, image: nginx}
"""
ONLY_ALPHA = """    - name: web
      template: web
      namespace: web
      placement: {groups: [web]}
      values: {image: nginx}
      overrides: {alpha: {replicas: 3}}
"""


def render(tmp_path: Path, template: str, components: str = WEB,
           extra: dict[str, str] | None = None) -> tuple[int, list[str]]:
    files = {"templates/web/config.yaml.j2": template, **(extra or {})}
    repo = make_repo(tmp_path / "repo", components, files)
    result = run_cli("render", cwd=repo)
    return result.code, [line for line in result.err.splitlines() if ": error: " in line]


def config_map(line: str) -> str:
    return f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n{line}\n"


def test_a_misspelt_value_names_the_path_the_pair_and_the_nearest_key(tmp_path: Path) -> None:
    code, errors = render(tmp_path, config_map("  n: '{{ values.replica }}'"))
    assert code == 2
    assert errors == [
        "templates/web/config.yaml.j2:6:1: error: undefined in template: `values.replica` "
        "on 2 clusters: 'alpha', 'beta' (component 'web'); values has image, replicas "
        "(did you mean 'replicas'?)"]


def test_a_key_some_clusters_lack_names_them(tmp_path: Path) -> None:
    code, errors = render(tmp_path, config_map("  n: '{{ values.replicas }}'"), ONLY_ALPHA)
    assert code == 2
    assert errors == [
        "templates/web/config.yaml.j2:6:1: error: undefined in template: `values.replicas` "
        "on cluster 'beta' (component 'web'); values has image; it is set on 1 cluster: "
        "'alpha' and missing on 1 cluster: 'beta'"]


def test_a_nested_missing_key_names_its_full_path(tmp_path: Path) -> None:
    components = WEB.replace("image: nginx", "image: {name: nginx, tag: '1.27'}")
    code, errors = render(tmp_path, config_map("  n: '{{ values.image.tga }}'"), components)
    assert code == 2
    assert len(errors) == 1
    assert "`values.image.tga` on 2 clusters" in errors[0]
    assert "values.image has name, tag (did you mean 'tag'?)" in errors[0]


def test_a_misspelt_top_level_name_suggests_the_context_name(tmp_path: Path) -> None:
    code, errors = render(tmp_path, config_map("  n: '{{ valeus.replicas }}'"))
    assert code == 2
    assert len(errors) == 1
    assert errors[0].startswith("templates/web/config.yaml.j2:6:1: error: undefined in "
                                "template: `valeus` on 2 clusters")
    assert ("the context has cluster, component, dependencies, fleet, values "
            "(did you mean 'values'?)") in errors[0]


def test_a_key_of_a_string_says_what_the_value_is(tmp_path: Path) -> None:
    code, errors = render(tmp_path, config_map("  n: '{{ values.image.tag }}'"))
    assert code == 2
    assert "values.image is a string, not a mapping with key 'tag'" in errors[0]


def test_prometheus_labels_suggest_raw(tmp_path: Path) -> None:
    line = "  summary: 'pod {{ $labels.pod }} is down'"
    code, errors = render(tmp_path, config_map(line))
    assert code == 2
    column = line.index("{{") + 1
    assert errors == [
        f"templates/web/config.yaml.j2:6:{column}: error: template syntax error: "
        "unexpected char '$': `{{ $labels.pod }}` is Go template syntax (Helm, "
        "Prometheus, Alertmanager), which Jinja2 reads as its own; to keep it literal in "
        "the output, wrap it in `{% raw %}...{% endraw %}`"]


def test_helm_values_suggest_raw(tmp_path: Path) -> None:
    line = "  image: '{{ .Values.image }}'"
    code, errors = render(tmp_path, config_map(line))
    assert code == 2
    assert errors[0].startswith(f"templates/web/config.yaml.j2:6:{line.index('{{') + 1}: ")
    assert "`{{ .Values.image }}` is Go template syntax" in errors[0]
    assert "`{% raw %}...{% endraw %}`" in errors[0]


def test_raw_keeps_go_syntax_literal(tmp_path: Path) -> None:
    line = "  summary: '{% raw %}pod {{ $labels.pod }} is down{% endraw %}'"
    code, errors = render(tmp_path, config_map(line))
    assert (code, errors) == (0, [])
    written = (tmp_path / "repo/clusters/alpha/web/configmap-c.yaml").read_text()
    assert "summary: pod {{ $labels.pod }} is down" in written


def test_a_jinja_syntax_error_without_go_syntax_has_no_raw_advice(tmp_path: Path) -> None:
    code, errors = render(tmp_path, config_map("  n: '{{ values.replicas + }}'"))
    assert code == 2
    assert len(errors) == 1
    assert errors[0].startswith("templates/web/config.yaml.j2:6:1: error: template syntax")
    assert "raw" not in errors[0]


def test_a_mapping_the_template_built_still_gets_the_pair(tmp_path: Path) -> None:
    code, errors = render(tmp_path, "{% set local = {'a': 1} %}\n" + config_map(
        "  n: '{{ local.b }}'"))
    assert code == 2
    assert len(errors) == 1
    assert errors[0].startswith("templates/web/config.yaml.j2:7:1: error: undefined in "
                                "template: ")
    assert errors[0].endswith("'dict object' has no attribute 'b' on 2 clusters: 'alpha', "
                              "'beta' (component 'web')")
