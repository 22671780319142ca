"""Read a fleet spec: YAML with positions, the JSON Schema, then the model and its checks."""

from __future__ import annotations

import datetime
import os
import posixpath
from collections.abc import Mapping
from typing import cast

from mcgen.errors import InputError
from mcgen.fleet import fragments, parsed, valuefiles
from mcgen.fleet.access import access_spec
from mcgen.fleet.checks import semantic_problems
from mcgen.fleet.discover import repo_root_of
from mcgen.fleet.model import (
    AllowedDifference,
    ArgoCDOptions,
    Cluster,
    Component,
    DataClass,
    Dependency,
    Engine,
    Expose,
    FirewallRule,
    Fleet,
    FluxOptions,
    Group,
    IgnoreEntry,
    Output,
    Placement,
    Zone,
)
from mcgen.fleet.rollout import load_rollout
from mcgen.fleet.schema import schema_problems
from mcgen.fleet.secrets import read_secrets
from mcgen.fleet.sources import source_spec
from mcgen.location import Location, Problem
from mcgen.yaml.jsonshape import json_shape_problems
from mcgen.yaml.source import SourceDocument, load_bytes, read_bytes

Raw = Mapping[str, object]


def load_fleet(spec_path: str, root: str | None = None) -> Fleet:
    """Parse, validate and check one fleet spec (a file, or a folder of fragments that
    `mcgen.fleet.fragments` merges); raises InputError with every problem."""
    root = root or repo_root_of(spec_path)
    shown = os.path.relpath(os.path.abspath(spec_path), root).replace(os.sep, "/")
    document, inputs = _document(spec_path, shown, root)
    problems = schema_problems(document)
    if problems:
        raise InputError(problems)
    document, values_files = valuefiles.resolve(document, root)
    fleet = build_fleet(document, root, (*inputs, *values_files))
    problems = semantic_problems(fleet)
    if problems:
        raise InputError(problems)
    return fleet


def _document(spec_path: str, shown: str, root: str) -> tuple[SourceDocument, tuple[str, ...]]:
    """The fleet's one document, and the spec files it was read from (repo-relative)."""
    if os.path.isdir(spec_path):
        files = fragments.fragment_files(spec_path)
        inputs = tuple(os.path.relpath(p, root).replace(os.sep, "/") for p in files)
        _refuse_non_json(files, root)
        return fragments.load_fragments(spec_path, shown + "/", root), inputs
    return _one_file(spec_path, shown, root), (shown,)


def _one_file(spec_path: str, shown: str, root: str) -> SourceDocument:
    """A spec file's document: as the last load read it if its bytes are the same
    (`mcgen.fleet.parsed`), else parsed and kept for the next."""
    data = read_bytes(spec_path, shown, root)
    known = parsed.recall(root, shown, data)
    if known is not None:
        return known
    if os.path.isfile(spec_path) and len(data) <= MAX_CHECKED:
        problems = _shape_problems(data, shown)
        if problems:
            raise InputError(problems)
    documents = load_bytes(data, shown)
    if len(documents) != 1:
        count = len(documents)
        raise InputError.at(Location(shown, 1, 1), f"expected one Fleet document, found {count}")
    parsed.remember(root, shown, data, documents[0])
    return documents[0]


def _shape_problems(data: bytes, shown: str) -> list[Problem]:
    """`json_shape_problems` of a file's bytes read as text, newlines made "\\n" as
    `open` makes them; none for bytes that are not UTF-8 (the reader says so)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return []
    return json_shape_problems(text.replace("\r\n", "\n").replace("\r", "\n"), shown)


MAX_CHECKED = 2 * 1024 * 1024  # larger specs are refused by the reader, unread


def _refuse_non_json(paths: list[str], root: str) -> None:
    """YAML with no JSON meaning (`mcgen.yaml.jsonshape`), before the reader turns it
    into Python text. Only regular files inside the repository are read here; the
    reader refuses the others unread, as before."""
    real_root = os.path.realpath(root)
    problems = []
    for path in paths:
        real = os.path.realpath(path)
        if (not real.startswith(real_root + os.sep) or not os.path.isfile(real)
                or os.path.getsize(real) > MAX_CHECKED):
            continue
        try:
            with open(real, "rb") as handle:
                data = handle.read()
        except OSError:
            continue  # the reader says what is wrong with the file
        shown = os.path.relpath(os.path.abspath(path), root).replace(os.sep, "/")
        problems += _shape_problems(data, shown)
    if problems:
        raise InputError(problems)


def build_fleet(document: SourceDocument, root: str, inputs: tuple[str, ...] = ()) -> Fleet:
    raw = cast(Raw, document.value)
    spec = _map(raw["spec"])
    zones = {name: _zone(name, _map(z)) for name, z in _map(spec.get("zones")).items()}
    clusters = {c.name: c for c in _clusters(spec, zones)}
    groups = {g.name: g for g in _groups(spec)}
    components = {c.name: c for c in _components(spec)}
    lint = _map(spec.get("lint"))
    return Fleet(
        name=str(_map(raw["metadata"])["name"]),
        spec_path=document.path,
        root=root,
        output=_output(_map(spec["output"]), _map(spec.get("rollout"))),
        zones=zones,
        data_classes={n: _data_class(n, _map(d)) for n, d in _map(spec.get("dataClasses")).items()},
        default_values=_map(_map(spec.get("defaults")).get("values")),
        clusters=clusters,
        groups=groups,
        components=components,
        firewall=tuple(_firewall(spec)),
        max_clusters_per_change=int(
            cast(int, _map(spec.get("rollout")).get("maxClustersPerChange", 0))),
        crds=tuple(str(p) for p in _list(lint.get("crds"))),
        ignores=tuple(_ignores(lint)),
        cluster_admin_subjects=tuple(str(s) for s in _list(lint.get("clusterAdminSubjects"))),
        rule_severities={rule: str(_map(conf).get("severity", ""))
                         for rule, conf in _map(lint.get("rules")).items()},
        placements={c.name: _place(c.placement, clusters, groups) for c in components.values()},
        source=document,
        rollout=load_rollout(_map(spec.get("rollout"))),
        secrets=read_secrets(spec),
        access=access_spec(_map(spec.get("access"))),
        inputs=inputs or (document.path,),
    )


def _map(value: object) -> Raw:
    return cast(Raw, value) if isinstance(value, Mapping) else {}


def _list(value: object) -> list[object]:
    return list(value) if isinstance(value, list) else []


def _names(value: object) -> tuple[str, ...]:
    return tuple(str(v) for v in _list(value))


def _folder(value: str) -> str:
    """The output folder as every path in it is spelt (`./clusters/` is `clusters`); one
    through '..' stays as written, for the check that refuses it at its line."""
    if ".." in value.replace("\\", "/").split("/"):
        return value
    return posixpath.normpath(value)


def _output(raw: Raw, rollout: Raw) -> Output:
    argocd, flux = _map(raw.get("argocd")), _map(raw.get("flux"))
    secret = flux.get("secretRef")
    return Output(
        dir=_folder(str(raw["dir"])),
        engine=cast(Engine, raw["engine"]),
        repo_url=str(raw.get("repoURL", "")),
        revision=str(raw.get("revision", "main")),
        flux=FluxOptions(
            namespace=str(flux.get("namespace", "flux-system")),
            interval=str(flux.get("interval", "10m")),
            include_bootstrap=bool(flux.get("includeBootstrap", False)),
            wave_refs=bool(_map(rollout.get("flux")).get("waveRefs", False)),
            secret_ref=None if secret is None else str(secret),
            decryption_secret=str(_map(flux.get("decryption")).get("secretRef", ""))),
        argocd=ArgoCDOptions(
            namespace=str(argocd.get("namespace", "argocd")),
            application_set=bool(argocd.get("applicationSet", False))),
    )


def _zone(name: str, raw: Raw) -> Zone:
    regulation = raw.get("regulation")
    return Zone(name, _names(raw["regions"]), None if regulation is None else str(regulation),
                _map(raw.get("values")))


def _data_class(name: str, raw: Raw) -> DataClass:
    return DataClass(name, _names(raw.get("residency")), _names(raw.get("allowConsumersFrom")))


def _zone_of(region: str, zones: Mapping[str, Zone]) -> str:
    matches = [z.name for z in zones.values() if region in z.regions]
    return matches[0] if len(matches) == 1 else ""


def _clusters(spec: Raw, zones: Mapping[str, Zone]) -> list[Cluster]:
    result = []
    for index, item in enumerate(_list(spec.get("clusters"))):
        raw = _map(item)
        region = str(raw["region"])
        result.append(Cluster(
            name=str(raw["name"]),
            region=region,
            zone=_zone_of(region, zones),
            provider=str(raw.get("provider", "")),
            kubernetes_version=str(raw["kubernetesVersion"]),
            api_server=str(raw.get("apiServer", "")),
            wave=int(cast(int, raw.get("wave", 1))),
            labels={str(k): str(v) for k, v in _map(raw.get("labels")).items()},
            values=_map(raw.get("values")),
            index=index,
            include_bootstrap=_flag(raw.get("includeBootstrap")),
        ))
    return result


def _flag(value: object) -> bool | None:
    return None if value is None else bool(value)


def _groups(spec: Raw) -> list[Group]:
    result = []
    for index, item in enumerate(_list(spec.get("groups"))):
        raw = _map(item)
        allowed = tuple(
            AllowedDifference(_opt(d, "kind"), _opt(d, "name"), _opt(d, "path"))
            for d in map(_map, _list(raw.get("allowedDifferences")))
        )
        result.append(Group(str(raw["name"]), _names(raw["clusters"]), allowed,
                            _map(raw.get("values")), index))
    return result


def _opt(raw: Raw, key: str) -> str | None:
    value = raw.get(key)
    return None if value is None else str(value)


def _components(spec: Raw) -> list[Component]:
    result = []
    for index, item in enumerate(_list(spec.get("components"))):
        raw = _map(item)
        name = str(raw["name"])
        placement = _map(raw["placement"])
        selector = _map(placement.get("selector"))
        expose = _map(raw.get("expose"))
        result.append(Component(
            name=name,
            source=source_spec(raw),
            namespace=str(raw.get("namespace", name)),
            placement=Placement(
                _names(placement.get("groups")), _names(placement.get("clusters")),
                {str(k): str(v) for k, v in _map(selector.get("matchLabels")).items()}
                if selector else None,
            ),
            data_class=_opt(raw, "dataClass"),
            depends_on=tuple(
                Dependency(str(d["component"]), cast("int | None", d.get("port")))
                for d in map(_map, _list(raw.get("dependsOn")))
            ),
            values=_map(raw.get("values")),
            overrides={str(k): _map(v) for k, v in _map(raw.get("overrides")).items()},
            expose=Expose(int(cast(int, expose["port"])), str(expose.get("protocol", "TCP")),
                          _opt(expose, "host")) if expose else None,
            index=index,
        ))
    return result


def _firewall(spec: Raw) -> list[FirewallRule]:
    return [
        FirewallRule(_names(raw["from"]), str(raw["to"]),
                     tuple(int(cast(int, p)) for p in _list(raw["ports"])), index)
        for index, raw in enumerate(map(_map, _list(spec.get("firewall"))))
    ]


def _ignores(lint: Raw) -> list[IgnoreEntry]:
    result = []
    for index, raw in enumerate(map(_map, _list(lint.get("ignore")))):
        expires = raw.get("expires")
        result.append(IgnoreEntry(
            str(raw["rule"]), str(raw["target"]), str(raw.get("reason", "")).strip(),
            datetime.date.fromisoformat(str(expires)) if expires else None, index,
        ))
    return result


def _place(
    placement: Placement, clusters: Mapping[str, Cluster], groups: Mapping[str, Group]
) -> tuple[str, ...]:
    chosen = set(placement.clusters)
    for group in placement.groups:
        chosen.update(groups[group].clusters if group in groups else ())
    if placement.match_labels is not None:
        wanted = placement.match_labels.items()
        chosen.update(c.name for c in clusters.values() if wanted <= c.labels.items())
    return tuple(name for name in clusters if name in chosen)


