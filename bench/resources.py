"""Peak memory and time of ``propwatch analyze`` on one article of a given size (not a test).

Writes one text file per case, runs ``propwatch analyze FILE --quiet -o /dev/null`` on it in
a subprocess and prints its peak resident memory (the child's ``ru_maxrss`` from
``os.wait4``), its wall time, seconds per MB (after subtracting the wall time of a tiny
article, which is mostly loading the models) and the 1-minute load average when it ended.

Cases:

- ``prose``: news-like paragraphs made by permuting sentences written for this bench (or, with
  ``--prose-dir``, the ``*.txt`` files of a folder such as
  ``../shared/data/ptc2020/train-articles``, read at run time and repeated), at each
  ``--sizes`` (default 50 KB, 1 MB, 5 MB);
- pathological texts at each ``--odd-sizes`` (default 20 KB, 1 MB): only quotation marks;
  ``'"a '`` repeated; one sentence on one line; punctuation only.

Texts above ``PROPWATCH_MAX_TEXT_CHARS`` are refused (their line shows the message) unless
``--raise-limit`` is given.

Usage::

    .venv/bin/python bench/resources.py --raise-limit
    .venv/bin/python bench/resources.py --sizes 50000 --odd-sizes 20000 --cases prose quotes
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

BIN = Path(sys.executable).parent
MB = 1_000_000
STARTUP_CHARS = 300  # a tiny article: its wall time is mostly loading the models

SENTENCES = (
    "The regional council voted on Tuesday to close three rural clinics by the end of the year.",
    'Mayor Ilse Varga called the decision "a betrayal of every family that still lives here."',
    "Officials said the savings would pay for a new hospital wing in the capital.",
    "Critics warned that patients would have to travel more than two hours for basic care.",
    '"We were never asked," said Tomas Greer, who has run the pharmacy in Velden for 30 years.',
    "The health ministry did not answer questions about how the clinics were chosen.",
    "Opposition leaders accused the government of quietly dismantling public services.",
    "Only a fool would believe that this plan was ever about money, one columnist wrote.",
    "Supporters of the plan point to waiting lists that have doubled since 2019.",
    "According to the ministry's own figures, the three clinics treated 41,000 patients last year.",
    "Everyone knows what happens next: the schools close, then the post office, then the town.",
    "The union representing nurses said its members would strike if the vote stands.",
    "A spokesperson for the council said the timetable could still change.",
    "Residents gathered outside the town hall on Wednesday evening, holding candles and signs.",
    "Is this the country we want to leave to our children?",
    "Independent analysts said the projected savings were probably overstated by half.",
    "The decision follows a decade of cuts that have hit the northern provinces hardest.",
    '"This is not a budget, it is a surrender," the opposition leader told parliament.',
    "Doctors at the capital's main hospital welcomed the extra beds but questioned the timing.",
    "The council will meet again next month to review the plan.",
    "Either we act now, or there will be nothing left to save.",
    "Several villages have already lost their only bus connection to the regional centre.",
    "The minister insisted that no patient would be left without care.",
    "Local newspapers have published dozens of letters from readers opposing the closures.",
)

ODD_CASES: dict[str, Callable[[int], str]] = {
    "quotes": lambda size: '"' * size,
    "quote-a": lambda size: ('"a ' * (size // 3 + 1))[:size],
    "one-sentence": lambda size: _one_sentence(size),
    "punctuation": lambda size: (".,;:!?-()'\"[]…" * (size // 13 + 1))[:size],
}


def _one_sentence(size: int) -> str:
    words = " ".join(s.rstrip(".?!") for s in SENTENCES).replace(",", "").split()
    text = " and ".join(words[i % len(words)] for i in range(size // 4 + 1))
    return text[:size].rstrip() + "."


def bench_prose(size: int, seed: int = 0) -> str:
    """About ``size`` characters of paragraphs (3 to 6 sentences each) under a title line."""
    rng = random.Random(seed)
    parts = ["Council votes to close rural clinics", ""]
    length = len(parts[0]) + 1
    while length < size:
        paragraph = " ".join(rng.sample(SENTENCES, rng.randint(3, 6)))
        parts.extend([paragraph, ""])
        length += len(paragraph) + 2
    return "\n".join(parts)[:size]


def folder_prose(folder: Path, size: int) -> str:
    """The folder's ``*.txt`` texts one after another, repeated until ``size`` characters."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))]
    if not texts:
        raise SystemExit(f"{folder}: no .txt files")
    out: list[str] = []
    length = 0
    while length < size:
        text = texts[len(out) % len(texts)]
        out.append(text)
        length += len(text) + 1
    return "\n".join(out)[:size]


def run_analyze(path: Path, environment: dict[str, str]) -> tuple[float, int, int, str]:
    """Wall seconds, peak RSS in bytes, exit status and last stderr line of one analyze run."""
    command = [str(BIN / "propwatch"), "analyze", str(path), "--quiet", "--format", "json"]
    command += ["-o", os.devnull]
    started = time.perf_counter()
    with tempfile.TemporaryFile() as errors:
        job = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=errors, env=environment)
        _, status, usage = os.wait4(job.pid, 0)
        errors.seek(0)
        lines = errors.read().decode("utf-8", "replace").strip().splitlines()
    wall = time.perf_counter() - started
    return (
        wall,
        usage.ru_maxrss * 1024,
        os.waitstatus_to_exitcode(status),
        lines[-1] if lines else "",
    )


def report(
    name: str, text: str, folder: Path, startup: float, environment: dict[str, str]
) -> float:
    """Run one case and print its line; returns its wall time.

    Seconds per MB leave out ``startup``, the wall time of a tiny article (loading models).
    """
    path = folder / f"{name}-{len(text)}.txt"
    path.write_text(text, encoding="utf-8")
    wall, rss, status, message = run_analyze(path, environment)
    size_mb = len(text.encode("utf-8")) / MB
    note = f"  exit {status}: {message}" if status else ""
    print(
        f"{name:13} {size_mb:8.3f} MB {wall:8.1f} s {(wall - startup) / size_mb:8.1f} s/MB "
        f"{rss / 2**20:7.0f} MiB  load {os.getloadavg()[0]:.2f}{note}",
        flush=True,
    )
    path.unlink()
    return wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[50_000, MB, 5 * MB])
    parser.add_argument("--odd-sizes", type=int, nargs="*", default=[20_000, MB])
    parser.add_argument("--cases", nargs="*", default=["prose", *ODD_CASES])
    parser.add_argument("--prose-dir", type=Path, help="folder of .txt articles used as prose")
    parser.add_argument(
        "--raise-limit",
        action="store_true",
        help="set PROPWATCH_MAX_TEXT_CHARS to the largest size, so no case is refused",
    )
    args = parser.parse_args()
    environment = dict(os.environ)
    if args.raise_limit:
        largest = max([*args.sizes, *args.odd_sizes, STARTUP_CHARS])
        environment["PROPWATCH_MAX_TEXT_CHARS"] = str(largest)
    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} at start")
    print(f"{'case':13} {'size':>11} {'wall':>10} {'time/MB':>13} {'peak RSS':>11}")
    with tempfile.TemporaryDirectory() as folder:
        startup = report("startup", bench_prose(STARTUP_CHARS), Path(folder), 0.0, environment)
        for case in args.cases:
            for size in args.sizes if case == "prose" else args.odd_sizes:
                if case == "prose":
                    text = (
                        folder_prose(args.prose_dir, size) if args.prose_dir else bench_prose(size)
                    )
                else:
                    text = ODD_CASES[case](size)
                report(case, text, Path(folder), startup, environment)


if __name__ == "__main__":
    main()
