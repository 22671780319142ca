"""Hypothesis strategies for what pull requests put in a fleet repository."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

EXAMPLES = int(os.environ.get("MCGEN_FUZZ_EXAMPLES", "60"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=False,
                suppress_health_check=[HealthCheck.too_slow,
                                       HealthCheck.function_scoped_fixture])
# End-to-end properties run a whole CLI command per example: fewer of them in CI.
FUZZ_CLI = settings(FUZZ, max_examples=max(EXAMPLES // 3, 10))

# YAML by the token, including what broke the loaders: explicit tags, merge keys,
# impossible dates, huge integers, directives.
YAML_TOKENS = st.sampled_from([
    "a", "b", "x", ": ", "- ", "\n", "  ", "    ", "[", "]", "{", "}", ", ", "? ", "'", '"',
    "|", ">", "# c", "---\n", "...\n", "%YAML 1.1\n", "%TAG !e! tag:e.com,2000:\n", "!e!x ",
    "!!int ", "!!float ", "!!bool ", "!!str ", "!!null ", "!!timestamp ", "!!binary ",
    "!!omap ", "!!set ", "!!map ", "!!seq ", "!!python/object:os.system ", "!custom ",
    "&a ", "*a", "&b ", "*b", "<<: ", "<<: *a", "<<: [*a, *a]", "~", "null", "yes", "on",
    "no", ".inf", "-.inf", ".nan", "0x1F", "0o17", "0b101", "1e400", "-0", "012", "1_000",
    "2026-13-01", "2026-02-30", "2026-01-01T25:61:61Z", "9" * 5000, "\t", "\r\n", "\ufeff",
    "é", "\u2028", "\\", "@", "`", "%", "=", "key", "value", "apiVersion: v1\n",
    "kind: ConfigMap\n", "metadata:\n  name: x\n",
])
YAML_TEXT = st.lists(YAML_TOKENS, max_size=40).map("".join)

SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-2**70, 2**70), st.floats(allow_nan=True),
    st.text(max_size=12),
    st.sampled_from(["", "../x", "/etc/passwd", "a\x00b", "us\uff0dwest", "us-w\u0435st",
                     "{{ 7*7 }}", "{% raw %}", "2026-13-01", "2026-12-01", "1.31", "99.99",
                     "latest", "https://x", "-", "a" * 70, "9" * 5000, "*", "default",
                     "x\n::error file=README.md::pwned", "::stop-commands::t", "\x1b[31m",
                     "[link](https://evil)", "<img src=x>", "@org/team", "a\r\nb"]),
)
JSONISH = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(st.sampled_from(["name", "values", "replicas", "spec", "x", "image",
                                       "clusters", "port", "kind", "labels", "data", ""])
                      | st.text(max_size=4), inner, max_size=4),
    max_leaves=12,
)

KINDS = [
    ("v1", "ConfigMap"), ("v1", "Secret"), ("v1", "Service"), ("v1", "Pod"),
    ("v1", "Namespace"), ("v1", "PersistentVolumeClaim"), ("apps/v1", "Deployment"),
    ("apps/v1", "StatefulSet"), ("apps/v1", "DaemonSet"), ("batch/v1", "CronJob"),
    ("batch/v1", "Job"), ("extensions/v1beta1", "Ingress"), ("networking.k8s.io/v1", "Ingress"),
    ("policy/v1beta1", "PodSecurityPolicy"), ("rbac.authorization.k8s.io/v1", "ClusterRoleBinding"),
    ("rbac.authorization.k8s.io/v1", "RoleBinding"), ("autoscaling/v2", "HorizontalPodAutoscaler"),
    ("kustomize.toolkit.fluxcd.io/v1", "Kustomization"), ("argoproj.io/v1alpha1", "Application"),
    ("bitnami.com/v1alpha1", "SealedSecret"), ("example.com/v1", "Unknown"), ("", ""),
]
FIELDS = ["containers", "initContainers", "template", "spec", "image", "securityContext",
          "privileged", "resources", "limits", "requests", "data", "stringData", "subjects",
          "roleRef", "replicas", "selector", "jobTemplate", "ports", "env", "hostNetwork",
          "allowPrivilegeEscalation", "capabilities", "add", "name", "kind", "apiGroup"]
K8S_VALUE = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(st.sampled_from(FIELDS), inner, max_size=4),
    max_leaves=16,
)
ANNOTATIONS = st.dictionaries(
    st.sampled_from(["mcgen.dev/ignore", "mcgen.dev/data-class", "x"]),
    st.sampled_from(["", "schema", "schema: reason", "nope: why", "image-tag: ok", "public",
                     "personal-eu"]) | st.text(max_size=6), max_size=2)


@st.composite
def kubernetes_objects(draw: st.DrawFn) -> dict[str, object]:
    """A plausible-looking object whose fields may hold anything."""
    api_version, kind = draw(st.sampled_from(KINDS))
    body: dict[str, object] = {"apiVersion": api_version, "kind": kind}
    metadata = draw(st.fixed_dictionaries(
        {"name": st.sampled_from(["x", "web", "", "a" * 300]) | SCALARS},
        optional={"namespace": SCALARS, "labels": st.dictionaries(st.text(max_size=5), SCALARS,
                                                                  max_size=2),
                  "annotations": ANNOTATIONS}))
    body["metadata"] = draw(st.sampled_from([metadata, metadata, None, "x", [metadata]]))
    for key in draw(st.lists(st.sampled_from(["spec", "data", "stringData", "subjects",
                                              "roleRef", "rules", "status"]), max_size=3)):
        body[key] = draw(K8S_VALUE)
    return body


CEL_TOKENS = st.sampled_from([
    "object", ".spec", ".metadata", ".name", ".replicas", ".x", "cluster", ".zone",
    "component", "fleet", "variables.replicas", "has(", "size(", "int(", "string(",
    "double(", ")", "(", "[", "]", "{", "}", ", ", "'a'", '"b"', "1", "0", "-1",
    "9223372036854775807", "1.5", "true", "null", " == ", " != ", " < ", " && ", " || ",
    "!", " ? ", " : ", " + ", " / ", " % ", " in ", ".startsWith('eu-')", ".matches('(')",
    ".all(x, x", ".exists(c, c", ".map(x, x", ".filter(x, x", "dyn(", "type(", "b'\\xff'",
    "duration('1s')", "timestamp('x')", "\n", "\\", "'",
])
CEL_TEXT = st.lists(CEL_TOKENS, min_size=1, max_size=14).map("".join)
