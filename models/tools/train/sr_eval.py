"""Held-out evaluation of 4x upscalers on frames degraded exactly like the edge.

Every HR image is cropped to a multiple of 4 in height and width, degraded with
sr_data.degrade at one JPEG quality and upscaled by each method. Outputs are
clamped to [0, 255] and rounded to uint8, as the pipeline does before it
encodes a frame, and compared with the HR image:

- PSNR over all pixels of the three RGB channels, peak 255, no border removed.
- SSIM on luma Y = 0.299 R + 0.587 G + 0.114 B (0..255), 11 x 11 Gaussian window
  with sigma 1.5, K1 = 0.01, K2 = 0.03, averaged over the positions where the
  whole window lies inside the image.
"""

from __future__ import annotations

import math
import time
from typing import Callable

import cv2
import numpy as np
import torch

import sr_data

SSIM_WINDOW = 11
SSIM_SIGMA = 1.5

Upscaler = Callable[[list[np.ndarray]], list[np.ndarray]]


def psnr(reference: np.ndarray, test: np.ndarray) -> float:
    mse = np.mean((reference.astype(np.float64) - test.astype(np.float64)) ** 2)
    return math.inf if mse == 0 else 10.0 * math.log10(255.0 ** 2 / mse)


def luma(rgb: np.ndarray) -> np.ndarray:
    rgb = rgb.astype(np.float64)
    return 0.299 * rgb[..., 0] + 0.587 * rgb[..., 1] + 0.114 * rgb[..., 2]


def ssim_luma(reference_rgb: np.ndarray, test_rgb: np.ndarray) -> float:
    """Return the mean SSIM of the luma planes (definition in the module docstring)."""
    x = luma(reference_rgb)
    y = luma(test_rgb)
    c1 = (0.01 * 255) ** 2
    c2 = (0.03 * 255) ** 2

    def blur(image: np.ndarray) -> np.ndarray:
        # Keep only positions where the whole window lies inside the image.
        border = SSIM_WINDOW // 2
        smoothed = cv2.GaussianBlur(image, (SSIM_WINDOW, SSIM_WINDOW), SSIM_SIGMA)
        return smoothed[border:-border, border:-border]

    mu_x, mu_y = blur(x), blur(y)
    var_x = blur(x * x) - mu_x ** 2
    var_y = blur(y * y) - mu_y ** 2
    cov = blur(x * y) - mu_x * mu_y
    ssim_map = ((2 * mu_x * mu_y + c1) * (2 * cov + c2)) / ((mu_x ** 2 + mu_y ** 2 + c1) * (var_x + var_y + c2))
    return float(ssim_map.mean())


def quantize(image: np.ndarray) -> np.ndarray:
    return np.clip(np.rint(image), 0, 255).astype(np.uint8)


def bicubic_upscaler(lr_images: list[np.ndarray]) -> list[np.ndarray]:
    """Upscale with cv2.resize INTER_CUBIC (OpenCV's bicubic, a = -0.75)."""
    scale = sr_data.SCALE
    return [cv2.resize(lr, (lr.shape[1] * scale, lr.shape[0] * scale), interpolation=cv2.INTER_CUBIC)
            for lr in lr_images]


def torch_upscaler(module: torch.nn.Module, device: torch.device, batch_size: int = 4) -> Upscaler:
    """Return an upscaler that runs an RGB [0, 255] NCHW module, batching inputs of equal size."""
    module = module.eval().to(device)

    def upscale(lr_images: list[np.ndarray]) -> list[np.ndarray]:
        outputs: list[np.ndarray | None] = [None] * len(lr_images)
        by_shape: dict[tuple, list[int]] = {}
        for index, lr in enumerate(lr_images):
            by_shape.setdefault(lr.shape, []).append(index)
        with torch.no_grad():
            for indices in by_shape.values():
                for start in range(0, len(indices), batch_size):
                    chunk = indices[start:start + batch_size]
                    batch = np.stack([lr_images[index] for index in chunk]).transpose(0, 3, 1, 2)
                    tensor = torch.from_numpy(batch.astype(np.float32)).to(device)
                    sr = module(tensor).cpu().numpy().transpose(0, 2, 3, 1)
                    for index, image in zip(chunk, sr):
                        outputs[index] = quantize(image)
        return outputs

    return upscale


def load_held_out(sources: list[dict], frame_step: int) -> list[tuple[str, list[sr_data.Image]]]:
    """Read the held-out entries as (set name, HR RGB images cropped to a multiple of 4).

    A video entry becomes one set of frames, `frame_step` apart. Each image entry is its own set.
    """
    sets = []
    for source in sources:
        images = sr_data.read_source(source)
        if source["kind"] == "video":
            images = images[::frame_step]
            frames = source["frames"]
            name = f"{images[0].label.split('#')[0]} frames {frames['first']}-{frames['last']}"
            if frame_step > 1:
                name += f" every {frame_step}"
        else:
            name = images[0].label
        rgb = [sr_data.Image(image.label, cv2.cvtColor(sr_data.crop_to_multiple(image.pixels), cv2.COLOR_BGR2RGB))
               for image in images]
        sets.append((name, rgb))
    return sets


def evaluate(held_out_sets: list[tuple[str, list[sr_data.Image]]], upscalers: dict[str, Upscaler],
             quality: int, log) -> dict:
    """Return PSNR and SSIM per set and method, plus the mean over the single-image sets ("photographs")."""
    results: dict = {"sets": {}, "seconds": {}}
    for set_name, images in held_out_sets:
        # degrade() works on BGR like the edge, so the RGB HR images are converted for it and back.
        lr_images = [
            cv2.cvtColor(sr_data.degrade(cv2.cvtColor(image.pixels, cv2.COLOR_RGB2BGR), quality), cv2.COLOR_BGR2RGB)
            for image in images
        ]
        set_results = {}
        for method, upscale in upscalers.items():
            start = time.perf_counter()
            outputs = upscale(lr_images)
            results["seconds"][method] = results["seconds"].get(method, 0.0) + time.perf_counter() - start
            psnrs = [psnr(image.pixels, output) for image, output in zip(images, outputs)]
            ssims = [ssim_luma(image.pixels, output) for image, output in zip(images, outputs)]
            set_results[method] = {"psnr": float(np.mean(psnrs)), "ssim": float(np.mean(ssims)),
                                   "images": len(images)}
        results["sets"][set_name] = set_results
        log(f"evaluation {set_name} ({len(images)} images, {images[0].pixels.shape[1]}x{images[0].pixels.shape[0]}): "
            + ", ".join(f"{method} {values['psnr']:.2f} dB / {values['ssim']:.4f}"
                        for method, values in set_results.items()))

    photo_sets = [name for name, images in held_out_sets if len(images) == 1]
    if photo_sets:
        results["photographs"] = {
            method: {
                "psnr": float(np.mean([results["sets"][name][method]["psnr"] for name in photo_sets])),
                "ssim": float(np.mean([results["sets"][name][method]["ssim"] for name in photo_sets])),
                "images": len(photo_sets),
            }
            for method in upscalers
        }
        log("evaluation mean of photographs: " + ", ".join(
            f"{method} {values['psnr']:.2f} dB / {values['ssim']:.4f}"
            for method, values in results["photographs"].items()))
    return results
