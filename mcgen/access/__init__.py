"""Who can do what on which cluster, computed offline from rendered RBAC objects.

`subjects` names who (`User:`, `Group:`, `ServiceAccount:ns:name`), `policy` what one
rule allows, `builtin` the roles every cluster has per Kubernetes version, `model` the
grants of one cluster (bindings resolved, aggregation applied), `matrix` the fleet-wide
view and its formats, `tree` reads a rendered tree, `changes` compares two revisions.
"""
