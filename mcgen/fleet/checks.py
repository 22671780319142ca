"""Checks the JSON Schema cannot express: references, zones, cycles, paths."""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Iterator

from mcgen.fleet.access import access_problems
from mcgen.fleet.clashes import fleet_clashes
from mcgen.fleet.model import Fleet
from mcgen.fleet.rollout import rollout_problems
from mcgen.fleet.schema import NAME_HINT
from mcgen.fleet.secrets import recipient_problems
from mcgen.fleet.sources import source_problems
from mcgen.location import Problem
from mcgen.suggest import did_you_mean

NAME = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")


def semantic_problems(fleet: Fleet) -> list[Problem]:
    """Every cross-reference and consistency problem of a schema-valid fleet."""
    checks = (
        _duplicates, _map_key_names, _zones, _groups, _components, _templates,
        _dependencies, _cycles, _firewall, _output_paths, _api_servers, rollout_problems,
        access_problems, recipient_problems,
    )
    return [problem for check in checks for problem in check(fleet)] + fleet_clashes(fleet)


def _duplicates(fleet: Fleet) -> Iterator[Problem]:
    raw = fleet.source.value
    assert isinstance(raw, dict)
    for section in ("clusters", "groups", "components"):
        seen: dict[str, int] = {}
        for index, item in enumerate(raw["spec"].get(section) or []):
            name = item["name"]
            if name in seen:
                first = fleet.where("spec", section, seen[name], "name")
                yield Problem(fleet.where("spec", section, index, "name"),
                              f"duplicate {section[:-1]} name {name!r} (first defined at {first})")
            seen.setdefault(name, index)


def _map_key_names(fleet: Fleet) -> Iterator[Problem]:
    for section, keys in (("zones", fleet.zones), ("dataClasses", fleet.data_classes)):
        for key in keys:
            if not NAME.match(key) or len(key) > 63:
                yield Problem(fleet.where("spec", section, key),
                              f"{key!r} is not a valid {section[:-1]} name: {NAME_HINT}")


def _zones(fleet: Fleet) -> Iterator[Problem]:
    owners: dict[str, list[str]] = {}
    for zone in fleet.zones.values():
        for region in zone.regions:
            owners.setdefault(region, []).append(zone.name)
    raw_clusters = fleet.source.value["spec"]["clusters"]  # type: ignore[index]
    for cluster in fleet.clusters.values():
        homes = owners.get(cluster.region, [])
        at = fleet.where("spec", "clusters", cluster.index, "region")
        if not homes:
            known = ", ".join(sorted(owners)) or "none declared"
            yield Problem(at, f"cluster {cluster.name!r}: region {cluster.region!r} is in no "
                              f"zone (zones' regions: {known}); add it to one of spec.zones")
        elif len(homes) > 1:
            yield Problem(at, f"cluster {cluster.name!r}: region {cluster.region!r} is in "
                              f"several zones ({', '.join(homes)}); a region belongs to one zone")
        stated = raw_clusters[cluster.index].get("zone")
        if stated is not None and homes and stated != cluster.zone:
            yield Problem(fleet.where("spec", "clusters", cluster.index, "zone"),
                          f"cluster {cluster.name!r} states zone {stated!r}, but its region "
                          f"{cluster.region!r} is in zone {cluster.zone!r}")
    for data_class in fleet.data_classes.values():
        for key, names in (("residency", data_class.residency),
                           ("allowConsumersFrom", data_class.allow_consumers_from)):
            for index, name in enumerate(names):
                if name not in fleet.zones:
                    yield Problem(fleet.where("spec", "dataClasses", data_class.name, key, index),
                                  f"data class {data_class.name!r}: unknown zone {name!r}"
                                  f"{did_you_mean(name, fleet.zones)}")


def _groups(fleet: Fleet) -> Iterator[Problem]:
    for group in fleet.groups.values():
        for index, name in enumerate(group.clusters):
            if name not in fleet.clusters:
                yield Problem(fleet.where_group(group.name, "clusters", index),
                              f"group {group.name!r}: unknown cluster {name!r}"
                              f"{did_you_mean(name, fleet.clusters)}")


def _components(fleet: Fleet) -> Iterator[Problem]:
    for comp in fleet.components.values():
        for key, known in (("clusters", fleet.clusters), ("groups", fleet.groups)):
            for index, name in enumerate(getattr(comp.placement, key)):
                if name not in known:
                    yield Problem(fleet.where_component(comp.name, "placement", key, index),
                                  f"component {comp.name!r}: placement names unknown "
                                  f"{key[:-1]} {name!r}{did_you_mean(name, known)}")
        for target in comp.overrides:
            if target not in fleet.clusters and target not in fleet.groups:
                near = did_you_mean(target, [*fleet.clusters, *fleet.groups])
                yield Problem(fleet.where_component(comp.name, "overrides", target),
                              f"component {comp.name!r}: override for {target!r}, which is "
                              f"neither a cluster nor a group{near}")
        if comp.data_class is not None and comp.data_class not in fleet.data_classes:
            yield Problem(fleet.where_component(comp.name, "dataClass"),
                          f"component {comp.name!r}: unknown data class {comp.data_class!r}"
                          f"{did_you_mean(comp.data_class, fleet.data_classes)}")


def _templates(fleet: Fleet) -> Iterator[Problem]:
    yield from source_problems(fleet)
    for comp in fleet.components.values():
        if comp.source.kind != "template" or comp.source.optional:
            continue
        folder = os.path.join(fleet.root, "templates", comp.template)
        if not os.path.isdir(folder):
            yield Problem(fleet.where_component(comp.name, "template"),
                          f"component {comp.name!r}: no template folder "
                          f"templates/{comp.template}/"
                          f"{did_you_mean(comp.template, _template_folders(fleet.root))}")


def _template_folders(root: str) -> list[str]:
    folder = os.path.join(root, "templates")
    try:
        return [name for name in os.listdir(folder) if os.path.isdir(os.path.join(folder, name))]
    except OSError:
        return []


def _dependencies(fleet: Fleet) -> Iterator[Problem]:
    for comp in fleet.components.values():
        for index, dep in enumerate(comp.depends_on):
            at = fleet.where_component(comp.name, "dependsOn", index, "component")
            if dep.component not in fleet.components:
                yield Problem(at, f"component {comp.name!r} depends on unknown component "
                                  f"{dep.component!r}"
                                  f"{did_you_mean(dep.component, fleet.components)}")
            elif dep.component == comp.name:
                yield Problem(at, f"component {comp.name!r} depends on itself")


def _cycles(fleet: Fleet) -> Iterator[Problem]:
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    for start in fleet.components:
        if state.get(start):
            continue
        stack: list[tuple[str, int]] = [(start, 0)]
        path: list[str] = []
        while stack:
            name, next_edge = stack.pop()
            if next_edge == 0:
                state[name], path = 1, [*path, name]
            deps = [d.component for d in fleet.components[name].depends_on
                    if d.component in fleet.components and d.component != name]
            if next_edge < len(deps):
                stack.append((name, next_edge + 1))
                target = deps[next_edge]
                if state.get(target) == 1:
                    cycle = [*path[path.index(target):], target]
                    yield Problem(fleet.where_component(name, "dependsOn", next_edge),
                                  "dependency cycle: " + " -> ".join(cycle))
                elif not state.get(target):
                    stack.append((target, 0))
            else:
                state[name], path = 2, path[:-1]


def _firewall(fleet: Fleet) -> Iterator[Problem]:
    for rule in fleet.firewall:
        for index, name in enumerate(rule.sources):
            if name not in fleet.clusters:
                yield Problem(fleet.where("spec", "firewall", rule.index, "from", index),
                              f"firewall: unknown cluster {name!r}"
                              f"{did_you_mean(name, fleet.clusters)}")
        if rule.target not in fleet.clusters:
            yield Problem(fleet.where("spec", "firewall", rule.index, "to"),
                          f"firewall: unknown cluster {rule.target!r}"
                          f"{did_you_mean(rule.target, fleet.clusters)}")


def _output_paths(fleet: Fleet) -> Iterator[Problem]:
    candidates: list[tuple[tuple[str | int, ...], str]] = [(("spec", "output", "dir"),
                                                             fleet.output.dir)]
    candidates += [(("spec", "lint", "crds", i), p) for i, p in enumerate(fleet.crds)]
    for at, value in candidates:
        reason = unsafe_relative_path(value)
        if reason:
            yield Problem(fleet.where(*at), f"{value!r}: {reason}")
    for index, path in enumerate(fleet.crds):
        if not unsafe_relative_path(path) and not os.path.exists(os.path.join(fleet.root, path)):
            yield Problem(fleet.where("spec", "lint", "crds", index),
                          f"CRD path {path!r} does not exist in the repository")


def unsafe_relative_path(value: str) -> str:
    """Why `value` may not be used as a path inside the repository ('' if it may)."""
    if "\x00" in value or "\\" in value:
        return "a path may not hold NUL bytes or backslashes"
    if value.startswith("/") or re.match(r"^[A-Za-z]:", value):
        return "must be a path relative to the repository, not an absolute one"
    normal = posixpath.normpath(value)
    if normal in (".", "") or normal.startswith("..") or ".git" in normal.split("/"):
        return "must name a folder inside the repository (not '.', '..' or .git)"
    return ""


def _api_servers(fleet: Fleet) -> Iterator[Problem]:
    # Imported here: the engines import the renderer (Jinja2), which loading a fleet
    # must not pay for before its spec is known to be valid.
    from mcgen.output.engines.registry import engine_of

    engine = engine_of(fleet)
    if engine.NEEDS_REPO_URL and not fleet.output.repo_url:
        yield Problem(fleet.where("spec", "output"),
                      f"engine {fleet.output.engine!r} needs spec.output.repoURL (the git "
                      "repository the controller pulls from)")
    if not engine.NEEDS_API_SERVER:
        return
    for cluster in fleet.clusters.values():
        if not cluster.api_server:
            yield Problem(fleet.where_cluster(cluster.name),
                          f"cluster {cluster.name!r}: engine {engine.NAME} needs apiServer (the "
                          "Application's destination)")
