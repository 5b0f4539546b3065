#!/usr/bin/env python3
"""Time the PyTorch module of a converted model on CPU for one input size.

Builds the same module that convert_tfjs.py exports, runs it once to warm up and
then --repeats times on a random [1, 3, height, width] input, and prints the
median and minimum wall-clock time per run. The numbers are estimates for the
model's cost and are not ONNX Runtime timings.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
import convert_tfjs  # noqa: E402  (imported after the path change above)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model-json", type=Path, required=True, help="TF.js model.json to build the module from")
    parser.add_argument("--height", type=int, default=144, help="input height in pixels (default: 144)")
    parser.add_argument("--width", type=int, default=192, help="input width in pixels (default: 192)")
    parser.add_argument("--threads", type=int, default=2, help="torch intra-op threads (default: 2)")
    parser.add_argument("--repeats", type=int, default=10, help="timed runs after one warm-up run (default: 10)")
    args = parser.parse_args(argv)

    torch.set_num_threads(args.threads)
    module, _ = convert_tfjs.build_module(args.model_json)
    lr = torch.rand(1, 3, args.height, args.width, generator=torch.Generator().manual_seed(0)) * 255
    seconds = []
    with torch.no_grad():
        module(lr)
        for _ in range(args.repeats):
            start = time.perf_counter()
            sr = module(lr)
            seconds.append(time.perf_counter() - start)
    print(f"{args.model_json}: input {list(lr.shape)} output {list(sr.shape)} torch {torch.__version__} "
          f"threads {args.threads}: median {statistics.median(seconds):.2f} s, min {min(seconds):.2f} s "
          f"over {args.repeats} runs")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
