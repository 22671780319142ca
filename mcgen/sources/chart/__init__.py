"""The `chart:` source: Helm charts (the Helm work itself is `mcgen.helm`)."""
