"""Peak memory and time of analysing one article of a given size (not a test).

Writes one text file per case and analyses it in a child process that does what ``propwatch
analyze FILE --format json -o /dev/null`` does, through the same API calls (load the
pipeline, read the file, analyse, write the JSON), timing each step. It prints the child's
peak resident memory (``ru_maxrss`` from ``os.wait4``), its start-up (loading the models and
analysing a 300-character article once, which warms them up), the analysis of the article
alone (from reading the file to the JSON written) and that analysis time per MB, which is the
figure the issue's "time per MB" target compares across sizes, with the 1-minute load average
when it ended.

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
import json
import math
import os
import random
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

MB = 1_000_000
STARTUP_CHARS = 300  # the warm-up article analysed before the timed one

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


# Run by the child: ``python -c CHILD FILE``; prints {"startup", "analysis"} in seconds.
CHILD = """
import json, os, sys, time
from propwatch import api
from propwatch.errors import InputError
from propwatch.text.article import Article

def failed(error: InputError) -> None:
    sys.exit(f"{error}")

started = time.perf_counter()
pipeline = api.load_pipeline()
writer = api.resolve_writer("json", pipeline)
warm_up = Article(text=%(warm_up)r, id="warm-up")
list(api.analyze_articles([warm_up], pipeline))
ready = time.perf_counter()
with open(os.devnull, "w", encoding="utf-8", newline="") as stream:
    articles = api.articles_from_inputs([sys.argv[1]], failed)
    writer.write(api.analyze_articles(articles, pipeline, on_error=failed), stream)
done = time.perf_counter()
print(json.dumps({"startup": ready - started, "analysis": done - ready}))
"""


def run_analyze(path: Path, environment: dict[str, str]) -> tuple[dict[str, float], int, int, str]:
    """Start-up and analysis seconds, peak RSS in bytes, exit status and last stderr line of
    one child run (no timings when it failed)."""
    child = CHILD % {"warm_up": bench_prose(STARTUP_CHARS)}
    command = [sys.executable, "-c", child, str(path)]
    with tempfile.TemporaryFile() as errors, tempfile.TemporaryFile() as out:
        job = subprocess.Popen(command, stdout=out, stderr=errors, env=environment)
        _, status, usage = os.wait4(job.pid, 0)
        errors.seek(0)
        lines = errors.read().decode("utf-8", "replace").strip().splitlines()
        out.seek(0)
        printed = out.read().decode().strip().splitlines()
    code = os.waitstatus_to_exitcode(status)
    timings: dict[str, float] = json.loads(printed[-1]) if code == 0 and printed else {}
    return timings, usage.ru_maxrss * 1024, code, lines[-1] if lines else ""


def report(name: str, text: str, folder: Path, environment: dict[str, str]) -> None:
    """Run one case and print its line: start-up, analysis, analysis per MB, peak RSS."""
    path = folder / f"{name}-{len(text)}.txt"
    path.write_text(text, encoding="utf-8")
    timings, rss, status, message = run_analyze(path, environment)
    size_mb = len(text.encode("utf-8")) / MB
    note = f"  exit {status}: {message}" if status else ""
    startup, analysis = timings.get("startup", math.nan), timings.get("analysis", math.nan)
    print(
        f"{name:13} {size_mb:8.3f} MB {startup:8.1f} s {analysis:8.1f} s "
        f"{analysis / size_mb:8.1f} s/MB {rss / 2**20:7.0f} MiB  "
        f"load {os.getloadavg()[0]:.2f}{note}",
        flush=True,
    )
    path.unlink()


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
    print(
        f"{'case':13} {'size':>11} {'start-up':>10} {'analysis':>10} {'analysis/MB':>13} "
        f"{'peak RSS':>11}"
    )
    with tempfile.TemporaryDirectory() as folder:
        for case in args.cases:
            for size in args.sizes if case == "prose" else args.odd_sizes:
                if case == "prose":
                    text = (
                        folder_prose(args.prose_dir, size) if args.prose_dir else bench_prose(size)
                    )
                else:
                    text = ODD_CASES[case](size)
                report(case, text, Path(folder), environment)


if __name__ == "__main__":
    main()
