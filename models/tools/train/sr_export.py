"""Export of the trained generator: model.onnx, manifest.json and the reference input and output.

The ONNX signature, metadata, checks and manifest schema are those of
models/tools/convert_tfjs.py, which this module imports.
"""

from __future__ import annotations

import json
import sys
import types
import warnings
from pathlib import Path

import numpy as np
import torch

TOOLS_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(TOOLS_DIR))
import convert_tfjs  # noqa: E402  (imported after the path change above)
import make_reference_input  # noqa: E402

VALUE_MAX = 255
TILE_SIZE = 128
TILE_OVERLAP = 16
# Crop of fruits.jpg (opencv-doc) used by make_reference_input.py for every committed model.
REFERENCE_CROP = {"top": 96, "left": 128, "height": 32, "width": 40}


def export_onnx(generator: torch.nn.Module, path: Path, scale: int) -> None:
    """Export a CPU float32 generator with dynamic batch, height and width (opset 17)."""
    generator = generator.eval()
    example = torch.rand(1, 3, convert_tfjs.TRACE_HEIGHT, convert_tfjs.TRACE_WIDTH,
                         generator=torch.Generator().manual_seed(0)) * VALUE_MAX
    with torch.no_grad():
        output = generator(example)
    expected = [1, 3, convert_tfjs.TRACE_HEIGHT * scale, convert_tfjs.TRACE_WIDTH * scale]
    if list(output.shape) != expected:
        raise RuntimeError(f"the generator maps {list(example.shape)} to {list(output.shape)}, expected {expected}")

    path.parent.mkdir(parents=True, exist_ok=True)
    with torch.no_grad(), warnings.catch_warnings():
        # torch 1.13 cannot infer the shape of the constant scales input of Resize and
        # warns. convert_tfjs.check_onnx runs full shape inference on the result instead.
        warnings.filterwarnings("ignore", message="The shape inference of prim::Constant type is missing")
        torch.onnx.export(
            generator,
            example,
            str(path),
            opset_version=convert_tfjs.ONNX_OPSET,
            input_names=[convert_tfjs.INPUT_NAME],
            output_names=[convert_tfjs.OUTPUT_NAME],
            dynamic_axes={convert_tfjs.INPUT_NAME: convert_tfjs.INPUT_DYNAMIC_AXES,
                          convert_tfjs.OUTPUT_NAME: convert_tfjs.OUTPUT_DYNAMIC_AXES},
            do_constant_folding=True,
        )


def write_model_folder(generator: torch.nn.Module, folder: Path, name: str, version: int, scale: int,
                       description: str, source: str, license_id: str, feature_quality: int) -> dict:
    """Write model.onnx (with metadata, checked), manifest.json and reference/{input,output}.npy.

    Returns the manifest. The reference input is the same fruits.jpg crop as for the
    other committed models, and the reference output is the generator's torch output.
    """
    generator = generator.cpu().eval()
    onnx_path = folder / "model.onnx"
    export_onnx(generator, onnx_path, scale)
    convert_tfjs.add_onnx_metadata(
        onnx_path,
        {"name": name, "version": str(version), "source": source, "license": license_id},
        description,
    )
    convert_tfjs.check_onnx(onnx_path, channels=3)

    manifest_arguments = types.SimpleNamespace(
        name=name, version=version, description=description, scale=scale, value_max=VALUE_MAX,
        feature_kind="downscaled", feature_codec="jpeg", feature_quality=feature_quality,
        tile_size=TILE_SIZE, tile_overlap=TILE_OVERLAP, license=license_id, source=source,
    )
    manifest = convert_tfjs.build_manifest(manifest_arguments, convert_tfjs.sha256_of(onnx_path))
    manifest_text = json.dumps(manifest, indent=2) + "\n"
    (folder / "manifest.json").write_text(manifest_text, encoding="utf-8")

    reference_input = make_reference_input.make_input(
        make_reference_input.DEFAULT_IMAGE, REFERENCE_CROP["top"], REFERENCE_CROP["left"],
        REFERENCE_CROP["height"], REFERENCE_CROP["width"], VALUE_MAX,
    )
    with torch.no_grad():
        reference_output = generator(torch.from_numpy(reference_input)).numpy().astype(np.float32)
    (folder / "reference").mkdir(parents=True, exist_ok=True)
    np.save(folder / "reference" / "input.npy", reference_input)
    np.save(folder / "reference" / "output.npy", reference_output)
    return manifest
