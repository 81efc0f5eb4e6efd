"""CI: the wheel as a user gets it (issue 18).

Builds the wheel from a clean copy of the checkout, installs it with its dependencies into a fresh
virtual environment, runs `kzkg run -o OUT --align-method facts` there from a directory outside
the repository (so only the seeds inside the wheel can be found), and checks that the record
counts in OUT/manifest.json equal those of the editable install's run on the same seed files.

    python .ci/wheel_smoke.py                          # CI: the declared dependencies must suffice
    python .ci/wheel_smoke.py --system-site-packages   # locally: reuse this environment's packages

`--align-method facts` because the wheel is installed without the embed extra (no model).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUN = ["run", "--align-method", "facts", "-o"]
# Artefacts of earlier builds and runs: a stale build/lib would put deleted files into the wheel.
NOT_SOURCES = shutil.ignore_patterns(
    ".git", "build", "dist", "*.egg-info", "__pycache__", "out", ".venv", ".*_cache", ".hypothesis"
)


def sh(cmd: list[str], *, cwd: Path, env: dict[str, str] | None = None) -> None:
    print("+", " ".join(cmd), f"(in {cwd})", file=sys.stderr, flush=True)
    subprocess.run(cmd, cwd=cwd, env=env, check=True)


def manifest(out: Path) -> dict:
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--system-site-packages", action="store_true", help="venv sees this env's packages"
    )
    args = ap.parse_args()

    with tempfile.TemporaryDirectory(prefix="kzkg-wheel-") as tmp:
        work = Path(tmp)
        src, dist, venv, outside = work / "src", work / "dist", work / "venv", work / "elsewhere"
        shutil.copytree(ROOT, src, ignore=NOT_SOURCES)
        sh([sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", str(dist), str(src)], cwd=work)
        (wheel,) = dist.glob("kzkg_tools-*.whl")

        venv_cmd = [sys.executable, "-m", "venv", str(venv)]
        sh(venv_cmd + (["--system-site-packages"] if args.system_site_packages else []), cwd=work)
        py = venv / "bin" / "python"
        # Nothing of the checkout may leak in: PYTHONPATH would shadow the installed package.
        env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
        sh([str(py), "-m", "pip", "install", str(wheel)], cwd=work, env=env)

        outside.mkdir()
        where = subprocess.run(
            [str(py), "-c", "import kzkg_tools; print(kzkg_tools.__file__)"],
            cwd=outside,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
        if not Path(where).is_relative_to(venv):
            print(f"wheel-smoke: kzkg_tools imported from {where}, not the venv", file=sys.stderr)
            return 1
        sh([str(venv / "bin" / "kzkg"), *RUN, str(outside / "out")], cwd=outside, env=env)
        sh([sys.executable, "-m", "kzkg_tools", *RUN, str(work / "editable")], cwd=ROOT)

        wheel_run, editable_run = manifest(outside / "out"), manifest(work / "editable")
        digests = [[i["sha256"] for i in m["inputs"]] for m in (wheel_run, editable_run)]
        if not digests[0] or digests[0] != digests[1]:
            print(f"wheel-smoke: the runs read different seeds: {digests}", file=sys.stderr)
            return 1
        if wheel_run["counts"] != editable_run["counts"]:
            print(
                f"wheel-smoke: counts differ: wheel {wheel_run['counts']}"
                f" editable {editable_run['counts']}",
                file=sys.stderr,
            )
            return 1
        print(f"wheel-smoke: ok, {wheel.name}: {wheel_run['counts']}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
