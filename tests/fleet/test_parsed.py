"""The spec as the last load read it (`mcgen.fleet.parsed`): kept by its bytes, never
a source of truth, and nothing after the parse is skipped."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import run_cli

from mcgen.errors import InputError
from mcgen.fleet import load, parsed
from mcgen.fleet.load import load_fleet
from mcgen.yaml import source

SPEC = "fleets/acme.yaml"


@pytest.fixture
def rendered(example_repo: Path) -> Path:
    assert run_cli("render", "-q", cwd=example_repo).code == 0  # the state folder exists
    return example_repo


def records(repo: Path) -> list[Path]:
    return sorted(repo.glob(".mcgen/spec-*.json"))


def no_parse(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(data: bytes, shown: str) -> list[source.SourceDocument]:
        raise AssertionError(f"{shown} was parsed again")

    monkeypatch.setattr(load, "load_bytes", refuse)


def test_an_unchanged_spec_is_not_parsed_again(rendered: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    first = load_fleet(str(rendered / SPEC), str(rendered))
    assert len(records(rendered)) == 1
    no_parse(monkeypatch)
    again = load_fleet(str(rendered / SPEC), str(rendered))
    assert again == first
    assert again.source.value == first.source.value
    assert again.source.positions == first.source.positions
    assert list(again.source.positions) == list(first.source.positions)  # same order


def test_a_changed_byte_is_parsed(rendered: Path) -> None:
    load_fleet(str(rendered / SPEC), str(rendered))
    spec = rendered / SPEC
    assert not any(c.wave == 7 for c in load_fleet(str(spec), str(rendered)).clusters.values())
    spec.write_text(spec.read_text().replace("wave: 1\n", "wave: 7\n", 1))
    assert any(c.wave == 7 for c in load_fleet(str(spec), str(rendered)).clusters.values())


def test_a_corrupt_or_foreign_record_costs_one_parse(rendered: Path) -> None:
    first = load_fleet(str(rendered / SPEC), str(rendered))
    [record] = records(rendered)
    stamp, body = record.read_text().split("\n", 1)
    for text in ("{", "[]", f"another mcgen\n{body}", f"{stamp}\n{{", f"{stamp}\n[]",
                 f"{stamp}\n" + json.dumps({**json.loads(body), "keys": [["x"]]}),
                 f"{stamp}\n" + json.dumps({**json.loads(body), "lines": "x"})):
        record.write_text(text)
        assert load_fleet(str(rendered / SPEC), str(rendered)) == first
        assert record.read_text() == f"{stamp}\n{body}"  # rewritten


def test_a_recorded_value_is_still_checked(rendered: Path) -> None:
    """A record is trusted for the parse only: the schema and the model checks run."""
    load_fleet(str(rendered / SPEC), str(rendered))
    [record] = records(rendered)
    stamp, text = record.read_text().split("\n", 1)
    body = json.loads(text)
    body["value"]["spec"]["clusters"][0]["name"] = "Not A Name"
    record.write_text(f"{stamp}\n{json.dumps(body)}")
    with pytest.raises(InputError) as raised:
        load_fleet(str(rendered / SPEC), str(rendered))
    assert str(raised.value.problems[0].location).startswith(f"{SPEC}:")


def test_a_bad_spec_is_located_and_not_kept(rendered: Path) -> None:
    load_fleet(str(rendered / SPEC), str(rendered))
    before = records(rendered)[0].read_bytes()
    spec = rendered / SPEC
    spec.write_text(spec.read_text().replace("wave: 1\n", "wave: [1\n", 1))
    result = run_cli("render", "--check", cwd=rendered)
    assert result.code == 2 and f"{SPEC}:" in result.err
    assert records(rendered)[0].read_bytes() == before


def test_a_repository_never_rendered_keeps_no_record(example_repo: Path) -> None:
    load_fleet(str(example_repo / SPEC), str(example_repo))
    assert not (example_repo / ".mcgen").exists()


def test_every_kind_of_value_comes_back_as_read(tmp_path: Path) -> None:
    (tmp_path / ".mcgen").mkdir()
    text = b"a: [.nan, .inf, -.inf, -0.0, 10000000000000000000001]\n"
    document = source.load_text(text.decode(), "x.yaml")[0]
    parsed.remember(str(tmp_path), "x.yaml", text, document)
    kept = parsed.recall(str(tmp_path), "x.yaml", text)
    assert kept is not None and repr(kept.value) == repr(document.value)
    assert kept.positions == document.positions
    plain = source.load_text("a: [1, 2.5, true, null, '1']\n", "x.yaml")[0]
    parsed.remember(str(tmp_path), "x.yaml", b"b", plain)
    back = parsed.recall(str(tmp_path), "x.yaml", b"b")
    assert back is not None and back.value == plain.value
    assert [type(v) for v in back.value["a"]] == [int, float, bool, type(None), str]  # type: ignore[index]
    assert parsed.recall(str(tmp_path), "other.yaml", b"b") is None
