"""The `kustomize:` source: a kustomize folder, built per cluster by the kustomize the
user has. The only package that runs kustomize."""
