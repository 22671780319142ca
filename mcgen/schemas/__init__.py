"""JSON schemas for Kubernetes objects, offline: core kinds per version, and CRDs."""
