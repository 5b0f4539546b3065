#!/usr/bin/env python3
"""Check a converted model against the output TF.js computed for the same input.

Rebuilds the PyTorch module that convert_tfjs.py exports from the same model.json,
runs it on <model-dir>/reference/input.npy and compares the result with
reference/output.npy, written by reference/tfjs_reference.mjs. Prints the maximum
absolute error, the mean absolute error and the PSNR (peak = top of the value
range), and exits with status 1 if the maximum absolute error exceeds the
tolerance.

The default tolerance is 0.01 for models with range [0, 255] and 0.01 / 255 for
range [0, 1], which is far above float32 rounding differences between two
implementations and far below any layout or weight-order mistake.

It also checks that manifest.json matches model.onnx (sha256, names and shapes).
The ONNX file itself is not executed here because onnxruntime is not installed
for Python. reference/onnx_check.mjs runs it with onnxruntime-web instead.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

import numpy as np
import onnx
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
import convert_tfjs  # noqa: E402  (imported after the path change above)

TOLERANCE_AT_255 = 1e-2


def compare(actual: np.ndarray, expected: np.ndarray, peak: float) -> dict[str, float]:
    """Return max and mean absolute error and PSNR in dB of actual against expected."""
    difference = actual.astype(np.float64) - expected.astype(np.float64)
    mse = float(np.mean(difference ** 2))
    psnr = math.inf if mse == 0 else 10 * math.log10(peak * peak / mse)
    return {
        "max_abs_error": float(np.max(np.abs(difference))),
        "mean_abs_error": float(np.mean(np.abs(difference))),
        "psnr_db": psnr,
    }


def check_manifest(model_dir: Path, manifest: dict) -> list[str]:
    """Return the ways in which manifest.json disagrees with model.onnx and the folder name."""
    problems = []
    onnx_path = model_dir / "model.onnx"
    sha256 = convert_tfjs.sha256_of(onnx_path)
    if manifest["sha256"] != sha256:
        problems.append(f"manifest sha256 {manifest['sha256']} differs from model.onnx sha256 {sha256}")
    if model_dir.name != str(manifest["version"]) or model_dir.parent.name != manifest["name"]:
        problems.append(
            f"folder {model_dir} does not match name {manifest['name']!r} and version {manifest['version']}"
        )
    graph = onnx.load(str(onnx_path)).graph
    if [value.name for value in graph.input] != [manifest["input"]["name"]]:
        problems.append(f"ONNX inputs {[value.name for value in graph.input]} differ from the manifest")
    if [value.name for value in graph.output] != [manifest["output"]["name"]]:
        problems.append(f"ONNX outputs {[value.name for value in graph.output]} differ from the manifest")
    return problems


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model-dir", type=Path, required=True,
                        help="model version folder with manifest.json, model.onnx and reference/")
    parser.add_argument("--model-json", type=Path, required=True, help="the TF.js model.json that was converted")
    parser.add_argument("--tolerance", type=float, default=None,
                        help="maximum absolute error allowed, in the model's value units "
                        f"(default: {TOLERANCE_AT_255} * value_max / 255)")
    args = parser.parse_args(argv)

    with open(args.model_dir / "manifest.json", encoding="utf-8") as file:
        manifest = json.load(file)
    value_max = manifest["output"]["valueRange"][1]
    tolerance = args.tolerance if args.tolerance is not None else TOLERANCE_AT_255 * value_max / 255
    scale = manifest["scaleFactor"]

    reference = args.model_dir / "reference"
    lr = np.load(reference / "input.npy")
    expected = np.load(reference / "output.npy")
    problems = check_manifest(args.model_dir, manifest)
    expected_shape = (lr.shape[0], 3, lr.shape[2] * scale, lr.shape[3] * scale)
    if expected.shape != expected_shape:
        problems.append(f"reference output shape {expected.shape} is not {expected_shape} for scale {scale}")

    try:
        module, _ = convert_tfjs.build_module(args.model_json)
    except convert_tfjs.ConversionError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    with torch.no_grad():
        actual = module(torch.from_numpy(lr)).numpy()

    if actual.shape != expected.shape:
        problems.append(f"torch output shape {actual.shape} differs from reference shape {expected.shape}")
    else:
        metrics = compare(actual, expected, value_max)
        print(f"{manifest['name']}/{manifest['version']}: input {list(lr.shape)} output {list(actual.shape)} "
              f"max_abs_error={metrics['max_abs_error']:.3g} mean_abs_error={metrics['mean_abs_error']:.3g} "
              f"psnr={metrics['psnr_db']:.1f} dB (peak {value_max}, tolerance {tolerance:.3g})")
        if not metrics["max_abs_error"] <= tolerance:
            problems.append(f"max abs error {metrics['max_abs_error']:.3g} exceeds tolerance {tolerance:.3g}")

    for problem in problems:
        print(f"FAILED: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
