"""Build the wheel of durable-rules 2.0.28 with the service's two patches.

    python tools/durable_rules_wheel.py WHEEL_DIR

pip downloads PyPI's source distribution of exactly 2.0.28 and checks its SHA-256 (a hash
mismatch stops the build); the archive is unpacked, ``third_party/durable-rules``'s patches
applied in order with GNU ``patch`` (the first lets the C extension load on Python 3.13, the
second sets up a session's join state on first use), and pip builds the wheel into WHEEL_DIR for
the interpreter running this, with the setuptools installed beside it (the locked one of
requirements/build.txt), not one fetched for an isolated build. uv.lock pins the same source
archive by the same hash (a test holds them equal). third_party/durable-rules/README.md says what
each patch changes and why.
"""

import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VERSION = "2.0.28"
SHA256 = "053b26f5e48d312d4fa27995243f954671be6eece477f150c059c364eb4d7d61"
PATCHES = tuple(ROOT / "third_party" / "durable-rules" / name
                for name in ("pyobject-callobject.patch", "lazy-session-state.patch"))
#: The version the patches give the build (PEP 440: a local label, so ``==2.0.28`` still holds).
PATCHED_VERSION = f"{VERSION}+pyobjectcall.lazystate"


def pip(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "pip", "--quiet", *args], check=True)  # noqa: S603 - our interpreter's pip


def build(wheel_dir: Path) -> Path:
    """The patched wheel, built into ``wheel_dir``."""
    if shutil.which("patch") is None:
        sys.exit("GNU patch is needed to build durable-rules (Debian: apt-get install patch)")
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        requirement = work / "requirement.txt"
        requirement.write_text(f"durable-rules=={VERSION} --hash=sha256:{SHA256}\n")
        pip("download", "--no-deps", "--no-binary", ":all:", "--require-hashes",
            "--requirement", str(requirement), "--dest", str(work))
        archive = next(work.glob("durable_rules-*.tar.gz"))
        with tarfile.open(archive) as source:
            # The "data" filter refuses links and paths outside the target (Python 3.12, and
            # the security releases of 3.10 and 3.11 that added it).
            extra = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}
            source.extractall(work, **extra)  # noqa: S202  (hash-checked archive, filtered)
        tree = work / archive.name.removesuffix(".tar.gz")
        for patch in PATCHES:
            subprocess.run(["patch", "--strip=1", "--batch", "--forward", "--silent",  # noqa: S603, S607
                            f"--input={patch}"], cwd=tree, check=True)
        wheel_dir.mkdir(parents=True, exist_ok=True)
        pip("wheel", "--no-deps", "--no-build-isolation", "--wheel-dir", str(wheel_dir), str(tree))
    tag = f"cp{sys.version_info.major}{sys.version_info.minor}"
    return next(wheel_dir.glob(f"durable_rules-{PATCHED_VERSION}-{tag}-*.whl"))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    print(build(Path(sys.argv[1])))
