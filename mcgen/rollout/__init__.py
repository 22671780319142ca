"""Rollout waves that stage (FLEET-SPEC §10): wave refs, promotion, and the plan."""
