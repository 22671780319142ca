"""The `manifests:` source: plain files written byte for byte (SOPS-encrypted secrets)."""
