"""Secrets per cluster (FLEET-SPEC section 9): which files belong to which clusters'
recipients, `.sops.yaml` from the fleet, re-keying after a recipient change, and keeping
secret values out of diffs. SOPS' own formats live in `mcgen.sops`."""
