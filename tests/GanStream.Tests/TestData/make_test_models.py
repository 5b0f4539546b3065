#!/usr/bin/env python3
"""Write the small ONNX models that the tests load, each with its manifest.

Every model upscales by 2 with nearest-neighbour sampling, so the expected
output of any input is known exactly: output pixel (y, x) equals input pixel
(y // 2, x // 2). The models differ in what the load-time checks and the
worker must handle:

  test-x2           batch, height and width dynamic (the plain case)
  test-nhwc-x2      like test-x2 but channels last (NHWC), with 16-pixel tiles
  test-fixed32-x2   input height and width fixed at 32 (batch dynamic), so the
                    worker has to tile every other frame size
  test-batch2-x2    batch fixed at 2 (height and width dynamic), so the worker
                    has to pad or split its batches
  test-fp16-x2      float16 input, which the pipeline rejects at load time
  test-nan-x2       adds NaN to every output value

The graphs are built with onnx.helper, so a rerun writes byte-identical files
(checked with onnx 1.12). Usage, from the repository root:

  /usr/bin/python3 tests/GanStream.Tests/TestData/make_test_models.py
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = 17
IR_VERSION = 8
SCALE = 2
INPUT_NAME = "LR"
OUTPUT_NAME = "SR"
MODELS_DIR = Path(__file__).resolve().parent / "models"


def tensor_type(element_type: int, dims: list[int | str]) -> onnx.TypeProto:
    """Return a tensor type whose int dims are fixed and whose str dims are named dynamic dims."""
    return helper.make_tensor_type_proto(element_type, dims)


def upscale_nodes(
    source: str, target: str, channels_last: bool
) -> tuple[list[onnx.NodeProto], list[onnx.TensorProto]]:
    """Return a nearest-neighbour Resize by SCALE from `source` to `target` and its initializers."""
    roi = numpy_helper.from_array(np.zeros(0, dtype=np.float32), "roi")
    factors = [1, SCALE, SCALE, 1] if channels_last else [1, 1, SCALE, SCALE]
    scales = numpy_helper.from_array(np.array(factors, dtype=np.float32), "scales")
    resize = helper.make_node(
        "Resize",
        [source, "roi", "scales"],
        [target],
        mode="nearest",
        coordinate_transformation_mode="asymmetric",
        nearest_mode="floor",
    )
    return [resize], [roi, scales]


def build_model(
    name: str,
    input_dims: list[int | str],
    input_type: int = TensorProto.FLOAT,
    add_nan: bool = False,
    channels_last: bool = False,
) -> onnx.ModelProto:
    """Build one nearest-neighbour x2 model with the given input dims, element type and layout."""
    nodes: list[onnx.NodeProto] = []
    initializers: list[onnx.TensorProto] = []
    source = INPUT_NAME
    if input_type != TensorProto.FLOAT:
        nodes.append(helper.make_node("Cast", [INPUT_NAME], ["LR_float"], to=TensorProto.FLOAT))
        source = "LR_float"

    upscaled = "upscaled" if add_nan else OUTPUT_NAME
    resize_nodes, resize_initializers = upscale_nodes(source, upscaled, channels_last)
    nodes += resize_nodes
    initializers += resize_initializers
    if add_nan:
        initializers.append(numpy_helper.from_array(np.array([np.nan], dtype=np.float32), "nan"))
        nodes.append(helper.make_node("Add", [upscaled, "nan"], [OUTPUT_NAME]))

    height_axis, width_axis = (1, 2) if channels_last else (2, 3)
    output_dims = list(input_dims)
    for axis, dynamic_name in ((height_axis, "out_height"), (width_axis, "out_width")):
        dim = input_dims[axis]
        output_dims[axis] = dim * SCALE if isinstance(dim, int) else dynamic_name
    graph = helper.make_graph(
        nodes,
        name,
        [helper.make_value_info(INPUT_NAME, tensor_type(input_type, input_dims))],
        [helper.make_value_info(OUTPUT_NAME, tensor_type(TensorProto.FLOAT, output_dims))],
        initializer=initializers,
    )
    model = helper.make_model(
        graph,
        opset_imports=[helper.make_opsetid("", OPSET)],
        producer_name="make_test_models.py",
    )
    model.ir_version = IR_VERSION
    model.doc_string = f"{name}: nearest-neighbour x{SCALE} upscaler for tests"
    onnx.checker.check_model(model, full_check=True)
    return model


def write_model(name: str, model: onnx.ModelProto, tile: dict[str, int], layout: str = "NCHW") -> None:
    """Write model.onnx and manifest.json into MODELS_DIR/<name>/1."""
    folder = MODELS_DIR / name / "1"
    folder.mkdir(parents=True, exist_ok=True)
    data = model.SerializeToString()
    (folder / "model.onnx").write_bytes(data)

    tensor = {"layout": layout, "channelOrder": "RGB", "elementType": "float32", "valueRange": [0, 255]}
    manifest = {
        "name": name,
        "version": 1,
        "description": model.doc_string,
        "task": "super-resolution",
        "scaleFactor": SCALE,
        "input": {"name": INPUT_NAME, **tensor},
        "output": {"name": OUTPUT_NAME, **tensor},
        "feature": {"kind": "downscaled", "codec": "jpeg", "quality": 90},
        "tile": tile,
        "license": "MIT",
        "source": "tests/GanStream.Tests/TestData/make_test_models.py",
        "sha256": hashlib.sha256(data).hexdigest(),
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {folder} ({len(data)} bytes)")


def main() -> None:
    dynamic = ["batch", 3, "height", "width"]
    default_tile = {"size": 128, "overlap": 16}
    write_model("test-x2", build_model("test-x2", dynamic), default_tile)
    write_model(
        "test-nhwc-x2",
        build_model("test-nhwc-x2", ["batch", "height", "width", 3], channels_last=True),
        {"size": 16, "overlap": 4},
        layout="NHWC",
    )
    write_model("test-fixed32-x2", build_model("test-fixed32-x2", ["batch", 3, 32, 32]), {"size": 32, "overlap": 8})
    write_model("test-batch2-x2", build_model("test-batch2-x2", [2, 3, "height", "width"]), default_tile)
    write_model("test-fp16-x2", build_model("test-fp16-x2", dynamic, input_type=TensorProto.FLOAT16), default_tile)
    write_model("test-nan-x2", build_model("test-nan-x2", dynamic, add_nan=True), default_tile)


if __name__ == "__main__":
    main()
