"""residency-secret: data of a resident class encrypted to a key outside its zones.

Encrypting a document to a recipient hands its key material to whoever holds that key:
a SOPS Secret of a data class with `residency: [eu]` that lists the age key of a US
cluster can be decrypted in the US, wherever the file is placed. This rule reads each
encrypted document's recipients (SOPS metadata only) and reports:

- (error) a recipient held by a cluster outside the class's residency zones (its own,
  its zone's or a group's `secrets:`);
- (warning) a recipient the fleet gives to no cluster at all: nothing shows that its
  private key stays in the zone. Declare it on a zone or cluster inside, or remove it.

The data class is the object's `mcgen.dev/data-class` label, else its component's
`dataClass`.

Example finding:

    clusters/eu-west/accounts-credentials/db.yaml:12:11: error: Secret accounts/db holds
    personal-eu data, which must stay in zone eu (GDPR), but is encrypted to age1u85...,
    a recipient of us-east (zone us, region us-east-1): its key material leaves the zone;
    remove that recipient (`mcgen secrets updatekeys`) [residency-secret]
"""

from __future__ import annotations

import sys
from collections.abc import Iterator

from mcgen.findings import Finding, Severity
from mcgen.lint.encrypted import data_class_of, encrypted_objects
from mcgen.lint.residency import cluster_text, resident_class, zones_text
from mcgen.lint.subject import Subject

ID = "residency-secret"
SEVERITY = Severity.ERROR
_RULE = sys.modules[__name__]


def check(subject: Subject) -> Iterator[Finding]:
    fleet = subject.fleet
    if fleet is None:
        return
    for obj, meta in encrypted_objects(subject):
        data = resident_class(fleet, data_class_of(fleet, obj))
        if data is None:
            continue
        zones = zones_text(fleet, data.residency)
        for found in meta.recipients:
            holders = fleet.secrets.clusters_of(found)
            outside = [c for c in holders if fleet.clusters[c].zone not in data.residency]
            at = meta.places[found]
            if outside:
                more = f" and {len(outside) - 1} more" if len(outside) > 1 else ""
                yield subject.finding(
                    _RULE, obj, f"{obj.ref} holds {data.name} data, which must stay in "
                    f"{zones}, but is encrypted to {found}, a recipient of "
                    f"{cluster_text(fleet, outside[0])}{more}: its key material leaves the "
                    "zone; remove that recipient (`mcgen secrets updatekeys`)", at,
                    related=(("cluster", fleet.where_cluster(outside[0])),))
            elif not holders:
                yield subject.finding(
                    _RULE, obj, f"{obj.ref} holds {data.name} data, which must stay in "
                    f"{zones}, and is encrypted to {found}, which no cluster of the fleet "
                    f"holds: nothing shows its key stays in {zones}; declare it in the "
                    "secrets: of a cluster or zone there, or remove it", at, Severity.WARNING)
