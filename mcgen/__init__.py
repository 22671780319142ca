"""mcgen: render a multi-cluster fleet into GitOps trees, and gate what lands."""

__version__ = "0.1.0"
