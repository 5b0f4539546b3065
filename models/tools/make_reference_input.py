#!/usr/bin/env python3
"""Write the fixed reference input of a model: an RGB crop of a real photograph as NCHW float32 .npy.

The default crop is 32 rows by 40 columns of fruits.jpg from the Debian package
opencv-doc, starting at row 96, column 128. Height and width differ so that a
transposed image axis in a conversion shows up as a mismatch. The 8-bit pixel
values p are stored as p * value_max / 255, so a model with range [0, 255] gets
the integers 0..255 and a model with range [0, 1] gets p / 255.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
from PIL import Image

DEFAULT_IMAGE = Path("/usr/share/doc/opencv-doc/examples/data/fruits.jpg")


def make_input(image_path: Path, top: int, left: int, height: int, width: int, value_max: float) -> np.ndarray:
    """Return the crop as a float32 array of shape [1, 3, height, width]."""
    with Image.open(image_path) as image:
        rgb = np.asarray(image.convert("RGB"))
    image_height, image_width = rgb.shape[:2]
    if top < 0 or left < 0 or top + height > image_height or left + width > image_width:
        raise ValueError(
            f"crop rows {top}..{top + height}, columns {left}..{left + width} is outside "
            f"the {image_height}x{image_width} image {image_path}"
        )
    crop = rgb[top:top + height, left:left + width].astype(np.float32)
    if value_max != 255:
        crop = crop * np.float32(value_max / 255.0)
    return np.ascontiguousarray(crop.transpose(2, 0, 1)[np.newaxis])


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model-dir", type=Path, required=True,
                        help="model version folder with manifest.json. The input is written to its reference/input.npy")
    parser.add_argument("--image", type=Path, default=DEFAULT_IMAGE, help=f"source image (default: {DEFAULT_IMAGE})")
    parser.add_argument("--top", type=int, default=96, help="first row of the crop (default: 96)")
    parser.add_argument("--left", type=int, default=128, help="first column of the crop (default: 128)")
    parser.add_argument("--height", type=int, default=32, help="crop height in pixels (default: 32)")
    parser.add_argument("--width", type=int, default=40, help="crop width in pixels (default: 40)")
    args = parser.parse_args(argv)

    with open(args.model_dir / "manifest.json", encoding="utf-8") as file:
        value_max = json.load(file)["input"]["valueRange"][1]
    if not args.image.is_file():
        print(f"error: image {args.image} not found. Install the Debian package opencv-doc "
              "or pass another image with --image.", file=sys.stderr)
        return 1
    try:
        array = make_input(args.image, args.top, args.left, args.height, args.width, value_max)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1

    output_path = args.model_dir / "reference" / "input.npy"
    output_path.parent.mkdir(parents=True, exist_ok=True)
    np.save(output_path, array)
    print(f"wrote {output_path} {list(array.shape)} range [{array.min():g}, {array.max():g}]")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
