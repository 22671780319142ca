"""Schema validation throughput: mcgen's validator and kubernetes-validate, same objects.

    python bench/validate.py [--objects 10000] [--kubeconform-objects 20000]

Parses and validates the same multi-document YAML (Deployments, Services, ConfigMaps,
some invalid) with both, end to end, and prints objects/s and the ratio. Then runs
`mcgen kubeconform -n 1` and `-n 2` (built-in validator) on the same stream written to
10 files, each in a fresh process, and prints objects/s and peak memory (the largest
process's max RSS: a forked worker counts on its own). A benchmark, not a test.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import warnings

import kubernetes_validate
import yaml

from mcgen.schemas.validate import SchemaValidator
from mcgen.yaml.manifests import parse_documents

VERSION = "1.31"
OBJECTS = [
    {"apiVersion": "apps/v1", "kind": "Deployment",
     "metadata": {"name": "web", "labels": {"a": "b"}},
     "spec": {"replicas": 3, "selector": {"matchLabels": {"app": "web"}}, "template": {
         "metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{
             "name": "web", "image": "nginx:1.27", "ports": [{"containerPort": 80}],
             "resources": {"limits": {"cpu": "1", "memory": "256Mi"}}}]}}}},
    {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"},
     "spec": {"selector": {"app": "web"}, "ports": [{"port": 80, "targetPort": 8080}]}},
    {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cfg"},
     "data": {"a.ini": "x = 1\n"}},
    {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "bad"},
     "spec": {"ports": [{"port": "http"}]}},
]


def stream(count: int) -> str:
    return "---\n".join(yaml.safe_dump(OBJECTS[i % len(OBJECTS)]) for i in range(count))


def run_mcgen(text: str) -> int:
    validator = SchemaValidator(strict=False)
    parsed = parse_documents(text)
    assert isinstance(parsed, list)
    return sum(validator.validate(d.value, VERSION).status == "invalid"  # type: ignore[arg-type]
               for d in parsed)


def run_kubernetes_validate(text: str) -> int:
    invalid = 0
    for body in yaml.load_all(text, Loader=yaml.CSafeLoader):
        try:
            kubernetes_validate.validate(body, VERSION + ".0", strict=False)
        except kubernetes_validate.ValidationError:
            invalid += 1
    return invalid


KUBECONFORM = "import sys; from mcgen.kubeconform import main; main()"


def run_kubeconform(folder: str, workers: int) -> tuple[float, float]:
    """Seconds and peak MiB of one `mcgen kubeconform -n workers -summary folder`."""
    env = {**os.environ, "MCGEN_KUBECONFORM": "builtin"}
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-c", KUBECONFORM, "-n", str(workers),
                              "-summary", folder], env=env, stdout=subprocess.DEVNULL)
    _, _, usage = os.wait4(child.pid, 0)  # includes the workers it waited for
    child.returncode = 0  # reaped above
    return time.perf_counter() - started, usage.ru_maxrss / 1024


def kubeconform_side_by_side(count: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        for number in range(10):
            with open(os.path.join(folder, f"f{number}.yaml"), "w") as handle:
                handle.write(stream(count // 10))
        rates = {}
        for workers in (1, 2):
            seconds, peak = run_kubeconform(folder, workers)
            rates[workers] = count / seconds
            print(f"mcgen kubeconform -n {workers}: {rates[workers]:,.0f} objects/s, "
                  f"peak {peak:.0f} MiB ({count} objects)")
        print(f"ratio: -n 2 is {rates[2] / rates[1]:.2f}x -n 1")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--objects", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--kubeconform-objects", type=int, default=20_000)
    args = parser.parse_args()
    text = stream(args.objects)
    warnings.simplefilter("ignore")
    rates = {}
    for name, function, count in (("mcgen", run_mcgen, args.objects),
                                  ("kubernetes-validate", run_kubernetes_validate,
                                   max(args.objects // 20, 100))):
        sample = text if count == args.objects else stream(count)
        times, invalid = [], 0
        for _ in range(args.runs):
            started = time.perf_counter()
            invalid = function(sample)
            times.append(time.perf_counter() - started)
        rates[name] = count / statistics.median(times)
        print(f"{name}: {rates[name]:,.0f} objects/s ({count} objects, {invalid} invalid)")
    print(f"ratio: mcgen is {rates['mcgen'] / rates['kubernetes-validate']:.0f}x "
          "kubernetes-validate")
    kubeconform_side_by_side(args.kubeconform_objects)


if __name__ == "__main__":
    main()
