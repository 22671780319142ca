"""residency-transfer follows dependency chains: the path and the origin are named."""

from __future__ import annotations

from pathlib import Path

import yaml
from policies.policyrepo import lint_repo, write_repo

SUITE = yaml.safe_load((Path(__file__).parents[1] / "policies" / "cases"
                        / "residency_chains.yaml").read_text())


def _findings(tmp_path: Path, fleet: str) -> list[str]:
    write_repo(tmp_path, fleet, SUITE["templates"])
    return [f"{f.location.path}:{f.location.line}: {f.severity}: {f.message}"
            for f in lint_repo(tmp_path, ("residency-transfer",))]


def test_the_chain_is_named_with_its_origin(tmp_path: Path) -> None:
    assert _findings(tmp_path, SUITE["fleet"]) == [
        "fleets/test.yaml:20: error: web on a (zone us, region us-east-1) depends on api, "
        "which passes on personal data resident in zone eu (GDPR) from db on e "
        "(web -> api -> db): through this chain the data flows from e to a, outside zone eu "
        "(GDPR). Place web in zone eu (GDPR), or, once a compliance review allows it, add us "
        "to dataClasses.personal.allowConsumersFrom"]


def test_three_hops_report_the_shortest_path_once(tmp_path: Path) -> None:
    fleet = SUITE["fleet"].replace(
        "      - name: db\n",
        "      - name: cache\n        template: svc\n        namespace: cache\n"
        "        placement: {clusters: [e]}\n        dependsOn: [{component: db}]\n"
        "      - name: db\n").replace(
        "dependsOn: [{component: db}]\n      - name: cache",
        "dependsOn: [{component: cache}, {component: db}]\n      - name: cache")
    found = _findings(tmp_path, fleet)
    assert len(found) == 1, found
    assert "(web -> api -> db)" in found[0]
