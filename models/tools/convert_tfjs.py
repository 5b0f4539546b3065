#!/usr/bin/env python3
"""Convert a TF.js Keras layers model (model.json + weight shards) to ONNX.

The converter rebuilds the Keras functional graph stored in model.json as a
PyTorch module that works in NCHW, loads the float32 weights into it and
exports it with torch.onnx (opset 17). It writes model.onnx and manifest.json
into <out>/<name>/<version>/.

The graph is interpreted layer by layer, so any model built from the supported
layer classes converts: InputLayer, Conv2D, Activation, Concatenate, Add,
UpSampling2D (nearest) and the two custom layers of the UpscalerJS ESRGAN
packages, MultiplyBeta and PixelShuffle<N>x. Any other layer class, weight
dtype or layer option raises ConversionError naming the layer.

Requires torch (tested with 1.13) and onnx (tested with 1.12).
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import math
import re
import sys
import warnings
from pathlib import Path

import numpy as np
import onnx
import torch
import torch.nn.functional as F
from torch import nn

ONNX_OPSET = 17
INPUT_NAME = "LR"
OUTPUT_NAME = "SR"
INPUT_DYNAMIC_AXES = {0: "batch", 2: "height", 3: "width"}
OUTPUT_DYNAMIC_AXES = {0: "batch", 2: "out_height", 3: "out_width"}

# Spatial size of the example input used to trace the module for export. The
# exported graph does not depend on it because height and width are dynamic,
# but it is not square so that a swapped height and width fails the shape check.
TRACE_HEIGHT = 24
TRACE_WIDTH = 32

# Beta of the UpscalerJS MultiplyBeta layer. The package's JavaScript class
# (esrgan.js in @upscalerjs/esrgan-thick 1.0.0) hard-codes 0.2 and ignores the
# layer config, so a config that states another value is rejected.
MULTIPLY_BETA_DEFAULT = 0.2

PIXEL_SHUFFLE_CLASS = re.compile(r"^PixelShuffle(\d+)x$")


class ConversionError(Exception):
    """The model uses something the converter does not support, or its files are invalid."""


@dataclasses.dataclass
class LayerSpec:
    """One layer of the Keras functional graph."""

    name: str
    class_name: str
    config: dict
    inbound: list[str]


@dataclasses.dataclass
class TfjsModel:
    """A parsed TF.js layers model: layers in topological order and weights by name."""

    layers: list[LayerSpec]
    input_name: str
    output_name: str
    input_channels: int
    weights: dict[str, np.ndarray]


# ---------------------------------------------------------------------------
# Reading model.json and the weight shards


def load_tfjs_model(model_json_path: Path) -> TfjsModel:
    """Read model.json and its weight shards from the folder that contains it."""
    with open(model_json_path, encoding="utf-8") as file:
        model_json = json.load(file)

    model_format = model_json.get("format")
    if model_format != "layers-model":
        raise ConversionError(
            f"{model_json_path}: format is {model_format!r}, expected 'layers-model' "
            "(graph models are not supported)"
        )

    topology = model_json["modelTopology"]
    model_config = topology.get("model_config", topology)
    if model_config.get("class_name") not in ("Functional", "Model"):
        raise ConversionError(
            f"{model_json_path}: model class {model_config.get('class_name')!r} is not supported, "
            "expected a Keras functional model ('Functional' or 'Model')"
        )

    layers, input_name, output_name = parse_graph(model_config["config"])
    input_layer = next(layer for layer in layers if layer.name == input_name)
    input_channels = read_input_channels(input_layer)
    weights = read_weights(model_json["weightsManifest"], model_json_path.parent)
    return TfjsModel(layers, input_name, output_name, input_channels, weights)


def read_weights(weights_manifest: list, folder: Path) -> dict[str, np.ndarray]:
    """Read every weight group, whose tensors are stored back to back across its shard files."""
    weights: dict[str, np.ndarray] = {}
    for group in weights_manifest:
        data = b"".join((folder / shard).read_bytes() for shard in group["paths"])
        offset = 0
        for spec in group["weights"]:
            name = spec["name"]
            if "quantization" in spec:
                raise ConversionError(f"weight {name}: quantized weights are not supported")
            if spec["dtype"] != "float32":
                raise ConversionError(
                    f"weight {name}: dtype {spec['dtype']!r} is not supported, expected float32"
                )
            count = math.prod(spec["shape"])
            size = count * 4
            if offset + size > len(data):
                raise ConversionError(
                    f"weight {name}: needs bytes {offset}..{offset + size} but the shards "
                    f"{group['paths']} hold only {len(data)} bytes"
                )
            array = np.frombuffer(data, dtype="<f4", count=count, offset=offset)
            weights[name] = array.reshape(spec["shape"]).astype(np.float32)
            offset += size
        if offset != len(data):
            raise ConversionError(
                f"shards {group['paths']}: {len(data) - offset} bytes are left over after the "
                "last weight, so the manifest does not match the files"
            )
    return weights


def parse_graph(config: dict) -> tuple[list[LayerSpec], str, str]:
    """Parse the layer list and return it in topological order with the input and output names."""
    if len(config["input_layers"]) != 1 or len(config["output_layers"]) != 1:
        raise ConversionError(
            f"the model has {len(config['input_layers'])} inputs and "
            f"{len(config['output_layers'])} outputs, expected one of each"
        )
    input_name = read_tensor_reference(config["input_layers"][0], "input_layers")
    output_name = read_tensor_reference(config["output_layers"][0], "output_layers")

    layers = []
    for layer in config["layers"]:
        name = layer["name"]
        nodes = layer["inbound_nodes"]
        if layer["class_name"] == "InputLayer":
            inbound = []
        elif len(nodes) != 1:
            raise ConversionError(
                f"layer {name}: has {len(nodes)} inbound nodes, expected 1 "
                "(layers shared between several calls are not supported)"
            )
        else:
            inbound = [read_inbound_tensor(entry, name) for entry in nodes[0]]
        layers.append(LayerSpec(name, layer["class_name"], layer.get("config", {}), inbound))

    ordered = sort_topologically(layers)
    names = {layer.name for layer in ordered}
    if input_name not in names or output_name not in names:
        raise ConversionError(f"input {input_name} or output {output_name} is not a layer of the model")
    if next(layer for layer in ordered if layer.name == input_name).class_name != "InputLayer":
        raise ConversionError(f"model input {input_name} is not an InputLayer")
    return ordered, input_name, output_name


def read_tensor_reference(reference: list, field: str) -> str:
    """Return the layer name of a [layer_name, node_index, tensor_index] reference."""
    name, node_index, tensor_index = reference[:3]
    if node_index != 0 or tensor_index != 0:
        raise ConversionError(
            f"{field}: reference {reference} uses node {node_index} tensor {tensor_index}, "
            "only the first output of a layer is supported"
        )
    return name


def read_inbound_tensor(entry: list, layer_name: str) -> str:
    """Return the source layer of one inbound entry [layer_name, node_index, tensor_index, kwargs]."""
    if not isinstance(entry, list) or len(entry) < 3:
        raise ConversionError(
            f"layer {layer_name}: inbound entry {entry!r} is not [layer, node, tensor, kwargs] "
            "(only the Keras 2 serialization format is supported)"
        )
    if len(entry) > 3 and entry[3]:
        raise ConversionError(f"layer {layer_name}: call arguments {entry[3]!r} are not supported")
    return read_tensor_reference(entry, f"layer {layer_name}")


def sort_topologically(layers: list[LayerSpec]) -> list[LayerSpec]:
    """Order layers so that every layer comes after the layers it reads (Kahn's algorithm).

    Ties keep the order of model.json, so a file that is already sorted keeps its order.
    """
    by_name = {}
    for layer in layers:
        if layer.name in by_name:
            raise ConversionError(f"layer name {layer.name} occurs twice")
        by_name[layer.name] = layer
    for layer in layers:
        for source in layer.inbound:
            if source not in by_name:
                raise ConversionError(f"layer {layer.name}: reads unknown layer {source}")

    pending = {layer.name: len(set(layer.inbound)) for layer in layers}
    readers: dict[str, list[str]] = {layer.name: [] for layer in layers}
    for layer in layers:
        for source in set(layer.inbound):
            readers[source].append(layer.name)

    position = {layer.name: index for index, layer in enumerate(layers)}
    ready = [layer.name for layer in layers if pending[layer.name] == 0]
    ordered = []
    while ready:
        ready.sort(key=position.__getitem__)
        name = ready.pop(0)
        ordered.append(by_name[name])
        for reader in readers[name]:
            pending[reader] -= 1
            if pending[reader] == 0:
                ready.append(reader)
    if len(ordered) != len(layers):
        cyclic = sorted(name for name, count in pending.items() if count > 0)
        raise ConversionError(f"the graph has a cycle through layers {cyclic}")
    return ordered


def read_input_channels(layer: LayerSpec) -> int:
    shape = layer.config.get("batch_input_shape") or layer.config.get("batch_shape")
    if shape is None or len(shape) != 4 or shape[3] is None:
        raise ConversionError(
            f"layer {layer.name}: input shape {shape} is not [batch, height, width, channels] "
            "with a known channel count"
        )
    if layer.config.get("dtype", "float32") != "float32":
        raise ConversionError(f"layer {layer.name}: input dtype {layer.config['dtype']!r} is not float32")
    return int(shape[3])


# ---------------------------------------------------------------------------
# PyTorch modules for the Keras layers. All of them work on NCHW tensors.


class KerasConv2d(nn.Module):
    """Keras Conv2D with stride 1 and 'same' padding or any stride and 'valid' padding."""

    def __init__(self, weight: torch.Tensor, bias: torch.Tensor | None, stride, dilation, groups,
                 padding: str, activation: str):
        super().__init__()
        kernel_height, kernel_width = weight.shape[2:]
        self.conv = nn.Conv2d(
            in_channels=weight.shape[1] * groups,
            out_channels=weight.shape[0],
            kernel_size=(kernel_height, kernel_width),
            stride=stride,
            dilation=dilation,
            groups=groups,
            bias=bias is not None,
        )
        with torch.no_grad():
            self.conv.weight.copy_(weight)
            if bias is not None:
                self.conv.bias.copy_(bias)

        # TF 'same' padding with stride 1 pads (k - 1) * dilation in total and puts
        # the odd element, if any, after the image (bottom and right).
        self.explicit_padding = None
        if padding == "same":
            pads = []
            for size, rate in ((kernel_height, dilation[0]), (kernel_width, dilation[1])):
                total = (size - 1) * rate
                pads.append((total // 2, total - total // 2))
            if all(before == after for before, after in pads):
                self.conv.padding = (pads[0][0], pads[1][0])
            else:
                # F.pad takes (left, right, top, bottom).
                self.explicit_padding = (pads[1][0], pads[1][1], pads[0][0], pads[0][1])
        self.relu = activation == "relu"

    def forward(self, x):
        if self.explicit_padding is not None:
            x = F.pad(x, self.explicit_padding)
        x = self.conv(x)
        return F.relu(x) if self.relu else x


class Relu(nn.Module):
    def forward(self, x):
        return F.relu(x)


class PassThrough(nn.Module):
    def forward(self, x):
        return x


class Concatenate(nn.Module):
    def __init__(self, dim: int):
        super().__init__()
        self.dim = dim

    def forward(self, *inputs):
        return torch.cat(inputs, dim=self.dim)


class AddInputs(nn.Module):
    def forward(self, *inputs):
        total = inputs[0]
        for value in inputs[1:]:
            total = total + value
        return total


class UpsampleNearest(nn.Module):
    def __init__(self, size: tuple[int, int]):
        super().__init__()
        self.size = size

    def forward(self, x):
        # Exported as an ONNX Resize with constant scales, so height and width stay dynamic.
        return F.interpolate(x, scale_factor=self.size, mode="nearest")


class MultiplyBeta(nn.Module):
    def __init__(self, beta: float):
        super().__init__()
        self.beta = beta

    def forward(self, x):
        return x * self.beta


class DepthToSpaceDcr(nn.Module):
    """tf.nn.depth_to_space (NHWC) applied to an NCHW tensor.

    TF reads input channel (i * s + j) * C + c into output pixel (h * s + i, w * s + j),
    channel c ("DCR" order). torch.nn.functional.pixel_shuffle reads channel
    c * s * s + i * s + j instead ("CRD" order), so it cannot be used directly. The
    channel axis is split as (i, j, c) and the axes are reordered explicitly.
    """

    def __init__(self, scale: int):
        super().__init__()
        self.scale = scale

    def forward(self, x):
        s = self.scale
        batch, _, height, width = x.shape
        x = x.reshape(batch, s, s, -1, height, width)
        # [n, i, j, c, h, w] -> [n, c, h, i, w, j]
        x = x.permute(0, 3, 4, 1, 5, 2)
        return x.reshape(batch, -1, height * s, width * s)


# ---------------------------------------------------------------------------
# Building one module per layer


class WeightStore:
    """Weights by name, minus the ones layers have already taken."""

    def __init__(self, weights: dict[str, np.ndarray]):
        self.unused = dict(weights)

    def take(self, layer: LayerSpec, weight_name: str, expected_shape: list[int | None]) -> torch.Tensor:
        """Remove and return weight '<layer>/<weight_name>'. None in expected_shape matches any size."""
        key = f"{layer.name}/{weight_name}"
        if key not in self.unused:
            raise ConversionError(f"layer {layer.name}: weight {key} is missing from weightsManifest")
        array = self.unused.pop(key)
        matches = len(array.shape) == len(expected_shape) and all(
            expected is None or actual == expected for actual, expected in zip(array.shape, expected_shape)
        )
        if not matches:
            raise ConversionError(
                f"layer {layer.name}: weight {key} has shape {list(array.shape)}, expected {expected_shape}"
            )
        return torch.from_numpy(array.copy())


def require_option(layer: LayerSpec, key: str, allowed: list, default=None):
    value = layer.config.get(key, default)
    if value not in allowed:
        raise ConversionError(
            f"layer {layer.name} ({layer.class_name}): {key}={value!r} is not supported, "
            f"supported values: {allowed}"
        )
    return value


def require_inputs(layer: LayerSpec, minimum: int, maximum: int | None):
    count = len(layer.inbound)
    if count < minimum or (maximum is not None and count > maximum):
        expected = f"{minimum}" if minimum == maximum else f"at least {minimum}"
        raise ConversionError(f"layer {layer.name} ({layer.class_name}): has {count} inputs, expected {expected}")


def build_conv2d(layer: LayerSpec, weights: WeightStore) -> nn.Module:
    require_inputs(layer, 1, 1)
    config = layer.config
    require_option(layer, "data_format", ["channels_last"], "channels_last")
    activation = require_option(layer, "activation", ["linear", "relu"])
    padding = require_option(layer, "padding", ["same", "valid"])
    stride = tuple(config.get("strides", [1, 1]))
    dilation = tuple(config.get("dilation_rate", [1, 1]))
    groups = int(config.get("groups", 1))
    if padding == "same" and stride != (1, 1):
        raise ConversionError(
            f"layer {layer.name} (Conv2D): 'same' padding with strides {list(stride)} is not supported, "
            "because TF then pads depending on the input size"
        )

    kernel_height, kernel_width = config["kernel_size"]
    filters = config["filters"]
    # The input channel count is not stored in the config, so any value is accepted there.
    kernel = weights.take(layer, "kernel", [kernel_height, kernel_width, None, filters])
    bias = weights.take(layer, "bias", [filters]) if config.get("use_bias", True) else None
    # Keras stores kernels as [height, width, in / groups, out] (HWIO), torch as OIHW.
    weight = kernel.permute(3, 2, 0, 1).contiguous()
    return KerasConv2d(weight, bias, stride, dilation, groups, padding, activation)


def build_activation(layer: LayerSpec, weights: WeightStore) -> nn.Module:
    require_inputs(layer, 1, 1)
    activation = require_option(layer, "activation", ["linear", "relu"])
    return Relu() if activation == "relu" else PassThrough()


def build_concatenate(layer: LayerSpec, weights: WeightStore) -> nn.Module:
    require_inputs(layer, 2, None)
    # NHWC axis -> NCHW dim. The batch axis is not a valid concatenation axis here.
    nchw_dim = {1: 2, 2: 3, 3: 1, -1: 1, -2: 3, -3: 2}
    axis = require_option(layer, "axis", list(nchw_dim), -1)
    return Concatenate(nchw_dim[axis])


def build_add(layer: LayerSpec, weights: WeightStore) -> nn.Module:
    require_inputs(layer, 2, None)
    return AddInputs()


def build_upsampling2d(layer: LayerSpec, weights: WeightStore) -> nn.Module:
    require_inputs(layer, 1, 1)
    require_option(layer, "data_format", ["channels_last"], "channels_last")
    require_option(layer, "interpolation", ["nearest"], "nearest")
    size = layer.config.get("size", [2, 2])
    if not all(isinstance(factor, int) and factor >= 1 for factor in size):
        raise ConversionError(f"layer {layer.name} (UpSampling2D): size {size} is not two positive integers")
    return UpsampleNearest((float(size[0]), float(size[1])))


def build_multiply_beta(layer: LayerSpec, weights: WeightStore) -> nn.Module:
    require_inputs(layer, 1, 1)
    beta = layer.config.get("beta", MULTIPLY_BETA_DEFAULT)
    if beta != MULTIPLY_BETA_DEFAULT:
        raise ConversionError(
            f"layer {layer.name} (MultiplyBeta): beta={beta} differs from {MULTIPLY_BETA_DEFAULT}, "
            "the value the UpscalerJS layer uses regardless of its config"
        )
    return MultiplyBeta(beta)


def build_pixel_shuffle(layer: LayerSpec, weights: WeightStore) -> nn.Module:
    require_inputs(layer, 1, 1)
    # The UpscalerJS class takes its scale from its class name and ignores the config.
    scale = int(PIXEL_SHUFFLE_CLASS.match(layer.class_name).group(1))
    config_scale = layer.config.get("scale", scale)
    if config_scale != scale:
        raise ConversionError(
            f"layer {layer.name} ({layer.class_name}): config scale {config_scale} "
            f"disagrees with the class name"
        )
    return DepthToSpaceDcr(scale)


LAYER_BUILDERS = {
    "Conv2D": build_conv2d,
    "Activation": build_activation,
    "Concatenate": build_concatenate,
    "Add": build_add,
    "UpSampling2D": build_upsampling2d,
    "MultiplyBeta": build_multiply_beta,
}


def build_layer(layer: LayerSpec, weights: WeightStore) -> nn.Module:
    if PIXEL_SHUFFLE_CLASS.match(layer.class_name):
        return build_pixel_shuffle(layer, weights)
    builder = LAYER_BUILDERS.get(layer.class_name)
    if builder is None:
        supported = ["InputLayer", *LAYER_BUILDERS, "PixelShuffle<N>x"]
        raise ConversionError(
            f"layer {layer.name}: class {layer.class_name} is not supported, supported classes: {supported}"
        )
    return builder(layer, weights)


class KerasGraph(nn.Module):
    """PyTorch module that runs the layers of a Keras functional model in topological order on NCHW tensors."""

    def __init__(self, model: TfjsModel):
        super().__init__()
        weights = WeightStore(model.weights)
        self.input_name = model.input_name
        self.output_name = model.output_name
        self.layer_modules = nn.ModuleDict()
        # Each step is (layer name, module key, input layer names, names to release afterwards).
        self.steps: list[tuple[str, str, list[str], list[str]]] = []

        last_use = {}
        for index, layer in enumerate(model.layers):
            for source in layer.inbound:
                last_use[source] = index
        keys = set()
        for index, layer in enumerate(model.layers):
            if layer.class_name == "InputLayer":
                if layer.name != model.input_name:
                    raise ConversionError(f"layer {layer.name}: a second InputLayer is not supported")
                continue
            key = layer.name.replace(".", "_")
            if key in keys:
                raise ConversionError(f"layer {layer.name}: name clashes with another layer after replacing '.'")
            keys.add(key)
            self.layer_modules[key] = build_layer(layer, weights)
            release = sorted(
                source for source in set(layer.inbound)
                if last_use[source] == index and source != model.output_name
            )
            self.steps.append((layer.name, key, list(layer.inbound), release))

        if weights.unused:
            raise ConversionError(f"weights not used by any layer: {sorted(weights.unused)}")

    def forward(self, x):
        values = {self.input_name: x}
        for name, key, inputs, release in self.steps:
            values[name] = self.layer_modules[key](*(values[source] for source in inputs))
            for source in release:
                del values[source]
        return values[self.output_name]


# ---------------------------------------------------------------------------
# Export and manifest


def build_module(model_json_path: Path) -> tuple[KerasGraph, TfjsModel]:
    """Load a TF.js model and return the equivalent PyTorch module in eval mode."""
    model = load_tfjs_model(model_json_path)
    module = KerasGraph(model).eval()
    return module, model


def export_onnx(module: KerasGraph, channels: int, scale: int, path: Path) -> None:
    """Export the module with dynamic batch, height and width and check the result."""
    example = torch.rand(1, channels, TRACE_HEIGHT, TRACE_WIDTH, generator=torch.Generator().manual_seed(0))
    with torch.no_grad():
        traced_output = module(example)
    expected_shape = [1, 3, TRACE_HEIGHT * scale, TRACE_WIDTH * scale]
    if list(traced_output.shape) != expected_shape:
        raise ConversionError(
            f"the model maps [1, {channels}, {TRACE_HEIGHT}, {TRACE_WIDTH}] to {list(traced_output.shape)}, "
            f"expected {expected_shape} for --scale {scale} and an RGB output"
        )

    path.parent.mkdir(parents=True, exist_ok=True)
    with torch.no_grad(), warnings.catch_warnings():
        # torch 1.13 warns that it cannot infer the shape of the constant scales
        # input of Resize (from UpSampling2D). check_onnx runs full shape inference
        # on the result, so the warning is silenced.
        warnings.filterwarnings("ignore", message="The shape inference of prim::Constant type is missing")
        torch.onnx.export(
            module,
            example,
            str(path),
            opset_version=ONNX_OPSET,
            input_names=[INPUT_NAME],
            output_names=[OUTPUT_NAME],
            dynamic_axes={INPUT_NAME: INPUT_DYNAMIC_AXES, OUTPUT_NAME: OUTPUT_DYNAMIC_AXES},
            do_constant_folding=True,
        )


def add_onnx_metadata(path: Path, metadata: dict[str, str], doc_string: str) -> None:
    model = onnx.load(str(path))
    model.doc_string = doc_string
    for key, value in metadata.items():
        entry = model.metadata_props.add()
        entry.key = key
        entry.value = value
    onnx.save(model, str(path))


def check_onnx(path: Path, channels: int) -> None:
    """Run onnx.checker with full shape inference and check the input and output signatures."""
    onnx.checker.check_model(str(path), full_check=True)
    graph = onnx.load(str(path)).graph
    signatures = [
        ("input", list(graph.input), INPUT_NAME, ["batch", channels, "height", "width"]),
        ("output", list(graph.output), OUTPUT_NAME, ["batch", 3, "out_height", "out_width"]),
    ]
    for kind, values, name, dims in signatures:
        if [value.name for value in values] != [name]:
            raise ConversionError(f"{path}: graph {kind}s are {[value.name for value in values]}, expected [{name!r}]")
        tensor_type = values[0].type.tensor_type
        actual = [dim.dim_param or dim.dim_value for dim in tensor_type.shape.dim]
        if tensor_type.elem_type != onnx.TensorProto.FLOAT or actual != dims:
            raise ConversionError(
                f"{path}: {kind} {name} has shape {actual} and element type {tensor_type.elem_type}, "
                f"expected float32 {dims}"
            )


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def build_manifest(args: argparse.Namespace, sha256: str) -> dict:
    value_range = [0, args.value_max]
    tensor = {"layout": "NCHW", "channelOrder": "RGB", "elementType": "float32", "valueRange": value_range}
    return {
        "name": args.name,
        "version": args.version,
        "description": args.description,
        "task": "super-resolution",
        "scaleFactor": args.scale,
        "input": {"name": INPUT_NAME, **tensor},
        "output": {"name": OUTPUT_NAME, **tensor},
        "feature": {"kind": args.feature_kind, "codec": args.feature_codec, "quality": args.feature_quality},
        "tile": {"size": args.tile_size, "overlap": args.tile_overlap},
        "license": args.license,
        "source": args.source,
        "sha256": sha256,
    }


def parse_arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Convert a TF.js layers model to ONNX and write <out>/<name>/<version>/model.onnx "
        "and manifest.json."
    )
    parser.add_argument("--model-json", type=Path, required=True,
                        help="path of the TF.js model.json. Weight shards are read from its folder")
    parser.add_argument("--out", type=Path, required=True, help="model repository root folder")

    parser.add_argument("--name", required=True, help="model name, also the folder name, e.g. esrgan-medium-x4")
    parser.add_argument("--version", type=int, required=True, help="integer model version, also the sub-folder name")
    parser.add_argument("--scale", type=int, required=True, help="upscaling factor the model must have")
    parser.add_argument("--value-max", type=int, required=True, choices=[1, 255],
                        help="upper end of the input and output value range: 255 for RDN, 1 for RRDN models")
    parser.add_argument("--source", required=True,
                        help="provenance written to the manifest, e.g. "
                        "'npm:@upscalerjs/esrgan-medium@1.0.0 models/x4/model.json'")
    parser.add_argument("--description", required=True, help="one-line description written to the manifest")

    parser.add_argument("--license", default="MIT", help="SPDX licence id of the weights (default: MIT)")
    parser.add_argument("--tile-size", type=int, default=128,
                        help="input tile edge in pixels the model is meant to run on (default: 128)")
    parser.add_argument("--tile-overlap", type=int, default=16,
                        help="overlap between neighbouring input tiles in pixels (default: 16)")
    parser.add_argument("--feature-kind", default="downscaled", help="feature.kind in the manifest")
    parser.add_argument("--feature-codec", default="jpeg", help="feature.codec in the manifest")
    parser.add_argument("--feature-quality", type=int, default=90, help="feature.quality in the manifest")

    args = parser.parse_args(argv)
    if args.version < 1:
        parser.error(f"--version must be a positive integer, got {args.version}")
    if not 0 <= args.tile_overlap < args.tile_size:
        parser.error(f"--tile-overlap must be in [0, --tile-size), got {args.tile_overlap}")
    return args


def main(argv: list[str]) -> int:
    args = parse_arguments(argv)
    output_folder = args.out / args.name / str(args.version)
    onnx_path = output_folder / "model.onnx"
    try:
        module, model = build_module(args.model_json)
        if model.input_channels != 3:
            raise ConversionError(f"the model input has {model.input_channels} channels, expected 3 (RGB)")
        export_onnx(module, model.input_channels, args.scale, onnx_path)
        add_onnx_metadata(
            onnx_path,
            {"name": args.name, "version": str(args.version), "source": args.source, "license": args.license},
            args.description,
        )
        check_onnx(onnx_path, model.input_channels)
    except ConversionError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1

    manifest = build_manifest(args, sha256_of(onnx_path))
    with open(output_folder / "manifest.json", "w", encoding="utf-8") as file:
        json.dump(manifest, file, indent=2)
        file.write("\n")
    print(f"wrote {onnx_path} ({onnx_path.stat().st_size} bytes, {len(model.layers)} layers) "
          f"and {output_folder / 'manifest.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
