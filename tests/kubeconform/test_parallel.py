"""`-n N` judges on N processes yet prints exactly what `-n 1` prints, with its exit code."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import pytest

from mcgen.kubeconform import run
from mcgen.kubeconform.batches import MIN_PER_WORKER

GOOD = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm{i}\ndata:\n  a: b\n"
BAD = "apiVersion: v1\nkind: Service\nmetadata:\n  name: s{i}\nspec:\n  ports:\n  - port: x\n"
ODD = "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w{i}\n"


def _fleet(root: Path, files: int, per_file: int) -> None:
    for number in range(files):
        kinds = (GOOD, BAD, ODD, "kind: [\n" if number == files - 1 else GOOD)
        documents = [kinds[i % len(kinds)].format(i=i) for i in range(per_file)]
        (root / f"f{number:02}.yaml").write_text("---\n".join(documents))


def _run(args: list[str]) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(args, io.StringIO(""), out, err)
    text = re.sub(r' time="[0-9.e-]+"', ' time="T"', out.getvalue())  # junit's wall time
    return code, text + "\n--stderr--\n" + err.getvalue()


@pytest.mark.parametrize("flags", [["-summary"], ["-output", "json", "-summary"],
                                   ["-output", "tap"], ["-exit-on-error"],
                                   ["-ignore-missing-schemas", "-output", "junit"]])
def test_two_workers_print_byte_for_byte_what_one_prints(
        flags: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MCGEN_KUBECONFORM", "builtin")
    _fleet(tmp_path, files=6, per_file=MIN_PER_WORKER * 2)
    one = _run(["-n", "1", *flags, str(tmp_path)])
    two = _run(["-n", "2", *flags, str(tmp_path)])
    assert one == two
    assert one[0] == 1 and "s1" in one[1]  # the invalid Service is reported either way


def test_workers_really_run_in_other_processes(tmp_path: Path) -> None:
    from mcgen.kubeconform import batches
    from mcgen.kubeconform.output import Result
    from mcgen.kubeconform.resources import Resource

    def judge(resource: Resource) -> Result:
        return Result(resource, "valid", str(os.getpid()))

    items = [Resource(f"f{i}", "") for i in range(MIN_PER_WORKER * 4)]
    results = list(batches.judge_all(items, judge, [], 2))
    assert [r.resource.path for r in results] == [i.path for i in items]
    assert len({r.message for r in results}) == 2  # two processes judged
