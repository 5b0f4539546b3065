#!/usr/bin/env python3
"""Train a 4x super-resolution GAN on the edge degradation and export it for the pipeline.

The generator starts from the esrgan-medium-x4 weights (RDN, C=1 D=10 G=64
G0=64) and is fine-tuned with an L1 pixel loss plus a low-weighted relativistic
average GAN loss against a patch discriminator. Training pairs are crops of the
Debian-packaged photographs and video frames in data-list.json, degraded
exactly like the edge: INTER_AREA downscale by 4, JPEG encode and decode with
OpenCV. After training the script evaluates the generator, bicubic upscaling
and the committed baseline models on the held-out entries, and writes
model.onnx, manifest.json, reference/input.npy, reference/output.npy,
evaluation.json and training-log.txt into --out.

The defaults are the configuration of the committed ganstream-sr-x4/1:

    /usr/bin/python3 models/tools/train/train_sr.py --out models/ganstream-sr-x4/1
"""

from __future__ import annotations

import argparse
import json
import math
import platform
import statistics
import sys
import time
from pathlib import Path

import cv2
import numpy as np
import torch
import torch.nn.functional as F

import sr_data
import sr_eval
import sr_export
import sr_networks

MODELS_DIR = Path(__file__).resolve().parents[2]
CACHE_DIR = Path(__file__).resolve().parent / "cache"
DEFAULT_INIT = MODELS_DIR / "esrgan-medium-x4" / "1" / "model.onnx"
DEFAULT_BASELINES = ["esrgan-medium-x4", "esrgan-slim-x4"]
SCRIPT_NAME = "models/tools/train/train_sr.py"


class RunLog:
    """Prints progress lines with the elapsed wall-clock time and appends them to a log file."""

    def __init__(self, path: Path, append: bool):
        self.start = time.perf_counter()
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        if not append:
            path.write_text("", encoding="utf-8")

    def elapsed(self) -> float:
        return time.perf_counter() - self.start

    def __call__(self, message: str) -> None:
        line = f"[{self.elapsed():7.1f} s] {message}"
        print(line, flush=True)
        with open(self.path, "a", encoding="utf-8") as file:
            file.write(line + "\n")


def relativistic_losses(real_logits: torch.Tensor, fake_logits: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Return the relativistic average GAN losses (discriminator, generator) for patch logits.

    D_ra(a, b) = sigmoid(C(a) - mean C(b)), with the mean over the batch and all
    patch positions. The discriminator is trained to output 1 for D_ra(real, fake)
    and 0 for D_ra(fake, real), and the generator the opposite.
    """
    real_relative = real_logits - fake_logits.mean()
    fake_relative = fake_logits - real_logits.mean()
    ones = torch.ones_like(real_relative)
    zeros = torch.zeros_like(real_relative)
    bce = F.binary_cross_entropy_with_logits
    discriminator_loss = (bce(real_relative, ones) + bce(fake_relative, zeros)) / 2
    generator_loss = (bce(real_relative, zeros) + bce(fake_relative, ones)) / 2
    return discriminator_loss, generator_loss


def learning_rate_factor(iteration: int, iterations: int, final_factor: float) -> float:
    """Cosine decay from 1 at iteration 1 to final_factor at the last iteration."""
    progress = (iteration - 1) / max(iterations - 1, 1)
    return final_factor + (1 - final_factor) * 0.5 * (1 + math.cos(math.pi * progress))


def set_requires_grad(module: torch.nn.Module, flag: bool) -> None:
    for parameter in module.parameters():
        parameter.requires_grad_(flag)


def train(generator: sr_networks.RDN, discriminator: sr_networks.Discriminator, sampler: sr_data.PatchSampler,
          args: argparse.Namespace, device: torch.device, log: RunLog) -> dict:
    """Run the training loop and return a summary for evaluation.json."""
    generator.train().to(device)
    discriminator.train().to(device)
    betas = (0.9, 0.99)
    generator_optimizer = torch.optim.Adam(generator.parameters(), lr=args.generator_lr, betas=betas)
    discriminator_optimizer = torch.optim.Adam(discriminator.parameters(), lr=args.discriminator_lr, betas=betas)

    window: dict[str, list[float]] = {}
    iteration = 0
    training_start = time.perf_counter()
    stopped_by_time = False
    for iteration in range(1, args.iterations + 1):
        factor = learning_rate_factor(iteration, args.iterations, args.final_lr_factor)
        for group in generator_optimizer.param_groups:
            group["lr"] = args.generator_lr * factor
        for group in discriminator_optimizer.param_groups:
            group["lr"] = args.discriminator_lr * factor

        lr_batch, hr_batch = sampler.draw_batch(args.batch_size)
        lr = torch.from_numpy(lr_batch).to(device)
        hr = torch.from_numpy(hr_batch).to(device)
        sr = generator(lr)

        # Discriminator step on the real crops and the detached generator output.
        set_requires_grad(discriminator, True)
        real_logits = discriminator(hr)
        fake_logits = discriminator(sr.detach())
        discriminator_loss, _ = relativistic_losses(real_logits, fake_logits)
        discriminator_optimizer.zero_grad(set_to_none=True)
        discriminator_loss.backward()
        discriminator_optimizer.step()

        # Generator step. The pixel loss is L1 on the [0, 1] scale.
        pixel_loss = (sr - hr).abs().mean() / 255.0
        generator_loss = args.pixel_weight * pixel_loss
        adversarial = args.adversarial_weight > 0 and iteration > args.warmup_iterations
        if adversarial:
            set_requires_grad(discriminator, False)
            with torch.no_grad():
                real_logits = discriminator(hr)
            _, adversarial_loss = relativistic_losses(real_logits, discriminator(sr))
            generator_loss = generator_loss + args.adversarial_weight * adversarial_loss
            window.setdefault("adversarial", []).append(adversarial_loss.item())
        generator_optimizer.zero_grad(set_to_none=True)
        generator_loss.backward()
        generator_optimizer.step()

        with torch.no_grad():
            mse = torch.mean((sr.detach().clamp(0, 255) - hr) ** 2).item()
        window.setdefault("l1", []).append(pixel_loss.item())
        window.setdefault("psnr", []).append(10 * math.log10(255.0 ** 2 / max(mse, 1e-10)))
        window.setdefault("discriminator", []).append(discriminator_loss.item())
        window.setdefault("logit_gap", []).append((real_logits.mean() - fake_logits.mean()).item())

        minutes = (time.perf_counter() - training_start) / 60
        stopped_by_time = args.minutes is not None and minutes >= args.minutes
        if iteration % args.log_every == 0 or iteration == args.iterations or stopped_by_time:
            means = {key: statistics.fmean(values) for key, values in window.items()}
            adversarial_text = f" adv {means['adversarial']:.4f}" if "adversarial" in means else ""
            log(f"iteration {iteration}/{args.iterations} lr x{factor:.3f} L1 {means['l1']:.5f} "
                f"batch PSNR {means['psnr']:.2f} dB{adversarial_text} D {means['discriminator']:.4f} "
                f"logit gap {means['logit_gap']:.3f} ({(time.perf_counter() - training_start) / iteration:.2f} s/it)")
            window.clear()
        if stopped_by_time:
            log(f"stopping after iteration {iteration}: --minutes {args.minutes} reached. The learning-rate "
                "schedule did not finish, so this run depends on the machine's speed")
            break

    return {
        "iterations": iteration,
        "stoppedByTime": stopped_by_time,
        "trainingSeconds": round(time.perf_counter() - training_start, 1),
    }


def time_inference(generator: torch.nn.Module, height: int, width: int, repeats: int = 5) -> float:
    """Return the median CPU time in seconds of one forward pass on a [1, 3, height, width] input."""
    generator = generator.cpu().eval()
    lr = torch.rand(1, 3, height, width, generator=torch.Generator().manual_seed(0)) * 255
    seconds = []
    with torch.no_grad():
        generator(lr)
        for _ in range(repeats):
            start = time.perf_counter()
            generator(lr)
            seconds.append(time.perf_counter() - start)
    return statistics.median(seconds)


def describe(generator: sr_networks.RDN, args: argparse.Namespace) -> str:
    shape = generator.layers
    return (
        f"GAN-fine-tuned RDN (C={generator.convs_per_block} D={generator.blocks} "
        f"G={shape['F_1_1'].out_channels} G0={shape['F_0'].out_channels}) {generator.scale}x generator, "
        f"initialized from esrgan-medium-x4, trained on Debian-packaged camera frames and photographs "
        f"downscaled with INTER_AREA and JPEG-compressed at quality {args.quality_min}-{args.quality_max}"
    )


def parse_arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Train the 4x super-resolution GAN on the edge degradation and export model.onnx, "
        "manifest.json, reference data, evaluation.json and training-log.txt into --out.",
    )
    parser.add_argument("--out", type=Path,
                        help="model version folder to write, e.g. models/ganstream-sr-x4/1. Its parent's name "
                        "is the model name and its own name the integer version")
    parser.add_argument("--device", choices=["cpu", "cuda"], default="cpu", help="training device (default: cpu)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the crop sampler and of the discriminator "
                        "initialization (default: 1)")
    parser.add_argument("--iterations", type=int, default=600, help="training iterations (default: 600)")
    parser.add_argument("--minutes", type=float, default=None,
                        help="stop training after this many minutes even before --iterations. A run stopped "
                        "this way depends on the machine's speed and is not reproducible (default: no limit)")
    parser.add_argument("--batch-size", type=int, default=8, help="crops per iteration (default: 8)")
    parser.add_argument("--lr-patch-size", type=int, default=40,
                        help="LR crop edge in pixels, the HR crop is 4 times larger (default: 40)")
    parser.add_argument("--generator-lr", type=float, default=2e-4, help="generator Adam learning rate (default: 2e-4)")
    parser.add_argument("--discriminator-lr", type=float, default=1e-4,
                        help="discriminator Adam learning rate (default: 1e-4)")
    parser.add_argument("--final-lr-factor", type=float, default=0.05,
                        help="learning-rate factor at the last iteration of the cosine decay (default: 0.05)")
    parser.add_argument("--pixel-weight", type=float, default=1.0,
                        help="weight of the L1 loss on the [0, 1] scale (default: 1)")
    parser.add_argument("--adversarial-weight", type=float, default=1e-3,
                        help="weight of the generator's relativistic GAN loss (default: 0.001)")
    parser.add_argument("--warmup-iterations", type=int, default=100,
                        help="iterations with the pixel loss only, while the discriminator already trains "
                        "(default: 100)")
    parser.add_argument("--quality-min", type=int, default=80, help="lowest training JPEG quality (default: 80)")
    parser.add_argument("--quality-max", type=int, default=95, help="highest training JPEG quality (default: 95)")
    parser.add_argument("--eval-quality", type=int, default=90,
                        help="JPEG quality of the held-out evaluation and of manifest feature.quality (default: 90)")
    parser.add_argument("--eval-frame-step", type=int, default=3,
                        help="evaluate every Nth held-out video frame (default: 3)")
    parser.add_argument("--threads", type=int, default=2, help="torch intra-op CPU threads (default: 2)")
    parser.add_argument("--init", type=Path, default=DEFAULT_INIT,
                        help=f"RDN model.onnx whose architecture and weights start the generator "
                        f"(default: {DEFAULT_INIT.relative_to(MODELS_DIR.parent)})")
    parser.add_argument("--baselines", nargs="*", default=DEFAULT_BASELINES,
                        help="committed RDN models under models/ to evaluate for comparison "
                        f"(default: {' '.join(DEFAULT_BASELINES)})")
    parser.add_argument("--license", default="MIT", help="SPDX licence id written to the manifest (default: MIT)")
    parser.add_argument("--log-every", type=int, default=25, help="iterations per progress line (default: 25)")
    parser.add_argument("--weights", type=Path, default=None,
                        help="skip training and evaluate and export the generator state_dict saved in this "
                        "checkpoint by an earlier run")
    parser.add_argument("--accept-changed-data", action="store_true",
                        help="train even if a data file's SHA-256 differs from data-list.json")
    parser.add_argument("--update-data-list", action="store_true",
                        help="rewrite the package versions and SHA-256 values in data-list.json from the "
                        "installed files, then exit")
    args = parser.parse_args(argv)

    if args.update_data_list:
        return args
    if args.out is None:
        parser.error("--out is required, e.g. --out models/ganstream-sr-x4/1")
    if not args.out.name.isdigit() or int(args.out.name) < 1:
        parser.error(f"--out must end in a positive integer version folder, got {args.out}")
    if not 1 <= args.quality_min <= args.quality_max <= 100:
        parser.error(f"need 1 <= --quality-min <= --quality-max <= 100, got {args.quality_min} and {args.quality_max}")
    if not 1 <= args.eval_quality <= 100:
        parser.error(f"--eval-quality must be in 1..100, got {args.eval_quality}")
    for name in ("iterations", "batch_size", "lr_patch_size", "eval_frame_step", "threads", "log_every"):
        if getattr(args, name) < 1:
            parser.error(f"--{name.replace('_', '-')} must be at least 1, got {getattr(args, name)}")
    if args.device == "cuda" and not torch.cuda.is_available():
        parser.error("--device cuda was requested, but torch finds no CUDA device "
                     f"(torch {torch.__version__}, built with CUDA {torch.version.cuda})")
    return args


def configure_determinism(args: argparse.Namespace) -> None:
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    cv2.setNumThreads(1)
    torch.backends.cudnn.benchmark = False
    torch.backends.cudnn.deterministic = True
    # NOTE: the CUDA backward of nearest-neighbour upsampling has no deterministic
    # implementation, so CUDA runs only warn here and can differ between runs.
    torch.use_deterministic_algorithms(True, warn_only=True)


def main(argv: list[str]) -> int:
    args = parse_arguments(argv)
    if args.update_data_list:
        try:
            data_list = sr_data.update_data_list()
        except sr_data.DataError as error:
            print(f"error: {error}", file=sys.stderr)
            return 1
        print(f"updated {sr_data.DATA_LIST_PATH} ({len(data_list['sources'])} entries)")
        return 0

    name = args.out.resolve().parent.name
    version = int(args.out.name)
    args.out.mkdir(parents=True, exist_ok=True)
    # A run with --weights appends to the log of the run that trained the weights.
    log = RunLog(args.out / "training-log.txt", append=args.weights is not None)
    configure_determinism(args)
    device = torch.device(args.device)
    log(f"{SCRIPT_NAME} {' '.join(argv)}")
    log(f"torch {torch.__version__}, OpenCV {cv2.__version__}, numpy {np.__version__}, "
        f"Python {platform.python_version()}, device {device}, {args.threads} threads")
    log("configuration: " + json.dumps({key: str(value) if isinstance(value, Path) else value
                                        for key, value in sorted(vars(args).items())}))

    try:
        data_list = sr_data.load_data_list()
        sr_data.check_sources(data_list, args.accept_changed_data, log)
        train_sources = [source for source in data_list["sources"] if source["split"] == sr_data.TRAIN_SPLIT]
        held_out_sources = [source for source in data_list["sources"] if source["split"] == sr_data.HELD_OUT_SPLIT]
        generator = sr_networks.load_generator_from_onnx(args.init)
        discriminator = sr_networks.Discriminator()
        checkpoint_path = CACHE_DIR / f"{name}-{version}.pt"
        if args.weights is None:
            sampler = sr_data.PatchSampler(train_sources, args.lr_patch_size,
                                           (args.quality_min, args.quality_max), args.seed)
            log(f"training data: {len(sampler.images)} images and frames from {len(train_sources)} entries")
            summary = train(generator, discriminator, sampler, args, device, log)
            CACHE_DIR.mkdir(parents=True, exist_ok=True)
            torch.save({"generator": generator.cpu().state_dict(), "arguments": argv}, checkpoint_path)
            log(f"saved the generator weights to {checkpoint_path}")
        else:
            generator.load_state_dict(torch.load(args.weights, map_location="cpu")["generator"])
            summary = {"iterations": 0, "weights": str(args.weights)}
            log(f"loaded the generator weights from {args.weights}, training skipped")

        held_out_sets = sr_eval.load_held_out(held_out_sources, args.eval_frame_step)
        upscalers = {
            name: sr_eval.torch_upscaler(generator, device),
            "bicubic": sr_eval.bicubic_upscaler,
        }
        for baseline in args.baselines:
            module = sr_networks.load_generator_from_onnx(MODELS_DIR / baseline / "1" / "model.onnx")
            upscalers[baseline] = sr_eval.torch_upscaler(module, device)
        evaluation = sr_eval.evaluate(held_out_sets, upscalers, args.eval_quality, log)
    except sr_data.DataError as error:
        log(f"error: {error}")
        return 1

    inference_seconds = time_inference(generator, 144, 192)
    log(f"torch CPU inference on one 144x192 input: {inference_seconds:.2f} s (median of 5, {args.threads} threads)")

    description = describe(generator, args)
    source = f"trained by {SCRIPT_NAME}, seed {args.seed}"
    manifest = sr_export.write_model_folder(generator, args.out, name, version, sr_data.SCALE, description,
                                            source, args.license, args.eval_quality)
    onnx_bytes = (args.out / "model.onnx").stat().st_size
    log(f"wrote {args.out / 'model.onnx'} ({onnx_bytes} bytes, sha256 {manifest['sha256']}), manifest.json "
        "and reference/input.npy, reference/output.npy")

    report = {
        "command": f"/usr/bin/python3 {SCRIPT_NAME} {' '.join(argv)}",
        "seed": args.seed,
        "evaluationJpegQuality": args.eval_quality,
        "metrics": "PSNR on RGB and SSIM on luma of clamped, rounded uint8 outputs; see sr_eval.py",
        "training": summary,
        "totalSeconds": round(log.elapsed(), 1),
        "torchCpuSecondsFor144x192": round(inference_seconds, 3),
        "threads": args.threads,
        "onnxBytes": onnx_bytes,
        "results": evaluation,
    }
    with open(args.out / "evaluation.json", "w", encoding="utf-8") as file:
        json.dump(report, file, indent=2)
        file.write("\n")
    log(f"wrote {args.out / 'evaluation.json'}; total wall-clock time {log.elapsed() / 60:.1f} min")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
