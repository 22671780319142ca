"""Files written verbatim (no header, not stamped) are owned through a sidecar stamp:
written beside them, pruned with them, and a hand edit of either is found."""

from __future__ import annotations

from pathlib import Path

from mcgen.output.ownership import sidecar
from mcgen.output.transaction import apply_plan, locked
from mcgen.output.tree import TreePlan, plan_tree

RAW = "clusters/c1/raw/configmap.yaml"
OTHER = "clusters/c1/raw/kustomization.yaml"


class Verbatim:
    """A file whose bytes are the user's (as the `manifests:` source writes them)."""

    verbatim = True

    def __init__(self, text: str) -> None:
        self.text = text
        self.key = str(hash(text))


def _render(root: Path, files: dict[str, object]) -> TreePlan:
    plan = plan_tree(str(root), "acme", "fleets/acme.yaml", "clusters", files)  # type: ignore[arg-type]
    with locked(str(root)) as state:
        apply_plan(plan, state)
    return plan


def test_a_verbatim_file_is_written_as_is_with_a_sidecar(tmp_path: Path) -> None:
    text = "apiVersion: v1\nkind: ConfigMap  # the user's comment stays\n"
    _render(tmp_path, {RAW: Verbatim(text), OTHER: "resources: [configmap.yaml]\n"})
    assert (tmp_path / RAW).read_text() == text
    side = (tmp_path / sidecar(RAW)).read_text()
    assert side.startswith("# mcgen: acme sha256:") and side.count("\n") == 1
    assert (tmp_path / OTHER).read_text().endswith("\n").__bool__()
    assert "# mcgen: acme sha256:" in (tmp_path / OTHER).read_text()
    again = plan_tree(str(tmp_path), "acme", "fleets/acme.yaml", "clusters",
                      {RAW: Verbatim(text), OTHER: "resources: [configmap.yaml]\n"})  # type: ignore[dict-item]
    assert again.clean and not again.hand_edited


def test_a_hand_edit_of_a_verbatim_file_is_found(tmp_path: Path) -> None:
    files = {RAW: Verbatim("kind: ConfigMap\n")}
    _render(tmp_path, files)  # type: ignore[arg-type]
    (tmp_path / RAW).write_text("kind: ConfigMap\nedited: true\n")
    plan = plan_tree(str(tmp_path), "acme", "fleets/acme.yaml", "clusters", files)  # type: ignore[arg-type]
    assert plan.hand_edited == (RAW,) and plan.writes == (RAW,)


def test_a_verbatim_file_no_longer_produced_is_pruned_with_its_sidecar(tmp_path: Path) -> None:
    _render(tmp_path, {RAW: Verbatim("kind: ConfigMap\n"), OTHER: "resources: []\n"})
    plan = _render(tmp_path, {OTHER: "resources: []\n"})
    assert set(plan.deletes) == {RAW, sidecar(RAW)}
    assert not (tmp_path / RAW).exists() and not (tmp_path / sidecar(RAW)).exists()


def test_a_file_beside_them_that_nobody_stamped_is_left_alone(tmp_path: Path) -> None:
    _render(tmp_path, {RAW: Verbatim("kind: ConfigMap\n")})
    mine = tmp_path / "clusters/c1/raw/notes.yaml"
    mine.write_text("kind: Secret\n")
    plan = _render(tmp_path, {})
    assert set(plan.deletes) == {RAW, sidecar(RAW)}
    assert mine.read_text() == "kind: Secret\n"
