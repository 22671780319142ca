"""The `template:` source: a folder of Jinja2 templates under `templates/` (FLEET-SPEC
sections 3-4). The only package that imports jinja2."""
