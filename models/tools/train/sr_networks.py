"""Generator and discriminator of the 4x super-resolution GAN.

The generator is the RDN of the UpscalerJS ESRGAN slim and medium models, written
as a plain PyTorch module with the same layer names, so the weights of the
committed ONNX files load into it directly (see load_generator_from_onnx).
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import onnx
import torch
import torch.nn.functional as F
from onnx import numpy_helper
from torch import nn

# ONNX initializer names that convert_tfjs.py gives the Keras layers,
# e.g. "layer_modules.LFF_3.conv.weight".
ONNX_INITIALIZER_NAME = re.compile(r"^layer_modules\.(\w+)\.conv\.(weight|bias)$")


class RDN(nn.Module):
    """Residual dense network generator in the layout of the UpscalerJS RDN models.

    Layer names follow the Keras model: F_m1 and F_0 (shallow features), per dense
    block d the convolutions F_<d>_<c> and the 1x1 local fusion LFF_<d>, the global
    fusion GFF_1 (1x1) and GFF_2, and the upsampler UPN1 to UPN3, a nearest-neighbour
    resize by `scale`, and the output convolution SR. There is no clamping, and
    input and output are RGB in [0, 255].
    """

    def __init__(self, blocks: int, convs_per_block: int, growth: int, features: int, scale: int):
        super().__init__()
        self.blocks = blocks
        self.convs_per_block = convs_per_block
        self.scale = scale
        layers = {
            "F_m1": nn.Conv2d(3, features, 3, padding=1),
            "F_0": nn.Conv2d(features, features, 3, padding=1),
        }
        for block in range(1, blocks + 1):
            for conv in range(1, convs_per_block + 1):
                layers[f"F_{block}_{conv}"] = nn.Conv2d(features + (conv - 1) * growth, growth, 3, padding=1)
            layers[f"LFF_{block}"] = nn.Conv2d(features + convs_per_block * growth, features, 1)
        layers["GFF_1"] = nn.Conv2d(blocks * features, features, 1)
        layers["GFF_2"] = nn.Conv2d(features, features, 3, padding=1)
        layers["UPN1"] = nn.Conv2d(features, 64, 5, padding=2)
        layers["UPN2"] = nn.Conv2d(64, 32, 3, padding=1)
        layers["UPN3"] = nn.Conv2d(32, 3 * scale * scale, 3, padding=1)
        layers["SR"] = nn.Conv2d(3 * scale * scale, 3, 3, padding=1)
        self.layers = nn.ModuleDict(layers)

    def forward(self, lr: torch.Tensor) -> torch.Tensor:
        layers = self.layers
        shallow = layers["F_m1"](lr)
        x = layers["F_0"](shallow)
        block_outputs = []
        for block in range(1, self.blocks + 1):
            dense = [x]
            for conv in range(1, self.convs_per_block + 1):
                dense.append(F.relu(layers[f"F_{block}_{conv}"](torch.cat(dense, dim=1))))
            x = layers[f"LFF_{block}"](torch.cat(dense, dim=1)) + x
            block_outputs.append(x)
        x = layers["GFF_2"](layers["GFF_1"](torch.cat(block_outputs, dim=1))) + shallow
        x = F.relu(layers["UPN1"](x))
        x = F.relu(layers["UPN2"](x))
        x = layers["UPN3"](x)
        # Exported as an ONNX Resize with constant scales, so height and width stay dynamic.
        x = F.interpolate(x, scale_factor=float(self.scale), mode="nearest")
        return layers["SR"](x)


def read_onnx_weights(onnx_path: Path) -> dict[str, np.ndarray]:
    """Return the convolution weights of a model.onnx written by convert_tfjs.py, keyed by RDN parameter name."""
    weights = {}
    for initializer in onnx.load(str(onnx_path)).graph.initializer:
        match = ONNX_INITIALIZER_NAME.match(initializer.name)
        if match is None:
            raise ValueError(f"{onnx_path}: initializer {initializer.name} is not a convolution weight of an RDN model")
        weights[f"layers.{match.group(1)}.{match.group(2)}"] = numpy_helper.to_array(initializer)
    return weights


def infer_rdn_shape(weights: dict[str, np.ndarray]) -> dict[str, int]:
    """Read blocks, convolutions per block, growth and feature channels from RDN weights."""
    blocks = sum(1 for name in weights if re.fullmatch(r"layers\.LFF_\d+\.weight", name))
    convs_per_block = sum(1 for name in weights if re.fullmatch(r"layers\.F_1_\d+\.weight", name))
    if blocks == 0 or convs_per_block == 0:
        raise ValueError("the weights contain no dense block (layers LFF_<d> and F_1_<c>)")
    growth = weights["layers.F_1_1.weight"].shape[0]
    features = weights["layers.F_0.weight"].shape[0]
    upsample_channels = weights["layers.SR.weight"].shape[1]
    scale = int(round((upsample_channels / 3) ** 0.5))
    if 3 * scale * scale != upsample_channels:
        raise ValueError(f"layer SR reads {upsample_channels} channels, expected 3 * scale * scale")
    return {"blocks": blocks, "convs_per_block": convs_per_block, "growth": growth,
            "features": features, "scale": scale}


def load_generator_from_onnx(onnx_path: Path) -> RDN:
    """Build an RDN with the architecture and weights of a committed UpscalerJS RDN model.onnx."""
    weights = read_onnx_weights(onnx_path)
    generator = RDN(**infer_rdn_shape(weights))
    state = {name: torch.from_numpy(array.copy()) for name, array in weights.items()}
    # strict=True raises on any missing, extra or differently shaped weight.
    generator.load_state_dict(state, strict=True)
    return generator


class Discriminator(nn.Module):
    """Fully convolutional patch discriminator on [0, 255] RGB images.

    Six 3x3 convolutions with spectral normalization and leaky ReLU, four of them
    with stride 2, then a 3x3 convolution to one logit per patch. Each logit
    depends on an input window of 69 x 69 pixels, and a 160 x 160 crop gives a
    10 x 10 logit map.
    """

    def __init__(self, base_channels: int = 32):
        super().__init__()
        channels = [3, base_channels, base_channels, 2 * base_channels, 2 * base_channels,
                    4 * base_channels, 4 * base_channels]
        strides = [1, 2, 1, 2, 2, 2]
        body = []
        for index, stride in enumerate(strides):
            conv = nn.Conv2d(channels[index], channels[index + 1], 3, stride=stride, padding=1)
            body += [nn.utils.spectral_norm(conv), nn.LeakyReLU(0.2)]
        self.body = nn.Sequential(*body)
        self.head = nn.utils.spectral_norm(nn.Conv2d(channels[-1], 1, 3, padding=1))

    def forward(self, image: torch.Tensor) -> torch.Tensor:
        # Centre [0, 255] on zero so the first layer gets inputs of order 1.
        return self.head(self.body(image / 127.5 - 1.0))
