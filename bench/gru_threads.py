"""Time to fit the GRU token head with one and two torch threads, idle and beside busy loops.

``fit_token_gru`` fits on one thread (see its comment); this shows why. Ten training steps on
random data of the shipped model's shape (390 inputs, 40 outputs, 16 chunks of 256 tokens a
step), each thread count in a fresh process, first with the machine as it is, then beside
``--busy`` processes that spin (other work holding the cores).

Usage::

    python bench/gru_threads.py --busy 3
"""

from __future__ import annotations

import argparse
import multiprocessing
import subprocess
import sys
import time

STEP = """
import time, numpy as np, torch
from propwatch.training.techniques import sequence
rng = np.random.default_rng(0)
inputs = [rng.standard_normal((1024, 390)).astype(np.float32) for _ in range(40)]
targets = [(rng.random((1024, 40)) < 0.05).astype(np.float32) for _ in range(40)]
sequence._fit_member(  # the fit itself: fit_token_gru would pin one thread
    [torch.from_numpy(x) for x in inputs], [torch.from_numpy(y) for y in targets],
    [torch.ones(40)] * 40, np.ones(40, np.float32), 0, 1, 256, 16)
"""


def fit_seconds(threads: int) -> float:
    """Wall seconds of the ten steps in a fresh process with ``threads`` torch threads."""
    code = f"import torch; torch.set_num_threads({threads})\n{STEP}"
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True)
    return time.perf_counter() - started


def spin() -> None:
    while True:
        pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--busy", type=int, default=3, help="Spinning processes beside.")
    args = parser.parse_args()
    for label, busy in (("as is", 0), (f"beside {args.busy} busy loops", args.busy)):
        spinners = [multiprocessing.Process(target=spin, daemon=True) for _ in range(busy)]
        for process in spinners:
            process.start()
        try:
            times = {n: fit_seconds(n) for n in (1, 2)}
        finally:
            for process in spinners:
                process.terminate()
        print(f"{label}: 1 thread {times[1]:.1f} s, 2 threads {times[2]:.1f} s (with start-up)")


if __name__ == "__main__":
    main()
