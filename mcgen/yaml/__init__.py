"""Every YAML read and write of mcgen: the only package that imports PyYAML, ruamel.yaml
or yaml_rs, so that upgrading a YAML library touches this package alone.

Modules, by what they are for:

- `source`: human-edited YAML (fleet specs, policies) read with a position for every
  value (`load_file`, `load_text`, `SourceDocument`, `PathKey`). The reference reading
  is ruamel.yaml's (YAML 1.2); `fastsource` gives the same result faster.
- `fastsource`: the libyaml fast path of `source`, which builds exactly ruamel's values
  and positions from libyaml's events, or declines the text.
- `manifests`: Kubernetes manifests (rendered template output, plain manifest files,
  `mcgen kubeconform` documents) read into JSON-like values (`parse_documents`,
  `read_document`); the Rust parser where it agrees, libyaml where it might not.
- `emit`: canonical YAML written byte for byte the same for the same object
  (`canonical_yaml`, `Tail`), and the templates' `to_yaml` filter.
- `nodes`: where a JSON path stands in a YAML text (line and column for findings).
- `limits`: what every reader refuses alike (alias bombs past a node count) and how
  a value a library cannot build is reported.

Nothing is imported here, so importing one module does not load the others' libraries.
"""
