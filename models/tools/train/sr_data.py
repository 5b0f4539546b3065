"""Training and held-out data for the 4x super-resolution GAN, and the edge degradation.

The images and video frames come from Debian packages listed in data-list.json
next to this file. Each entry names the file, its package and version, the
licence, the file's SHA-256, the frames used (videos) and whether the entry is
for training or held out for evaluation.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import subprocess
from pathlib import Path

import cv2
import numpy as np

SCALE = 4
TRAIN_SPLIT = "train"
HELD_OUT_SPLIT = "held-out"
DATA_LIST_PATH = Path(__file__).resolve().parent / "data-list.json"

# A training crop whose HR standard deviation is below this (on 0..255) is
# drawn again, at most FLAT_CROP_RETRIES times, so that flat sky, walls and
# white backgrounds do not dominate the batches.
FLAT_CROP_STD = 4.0
FLAT_CROP_RETRIES = 3


class DataError(Exception):
    """A data file is missing or differs from data-list.json."""


@dataclasses.dataclass
class Image:
    """One HR image: HWC uint8 pixels and a label naming the file and frame.

    read_source returns the pixels in OpenCV BGR order.
    """

    label: str
    pixels: np.ndarray


def degrade(hr_bgr: np.ndarray, quality: int) -> np.ndarray:
    """Apply the edge degradation: INTER_AREA downscale by 4, then JPEG at `quality` and decode.

    Input and output are OpenCV BGR uint8 arrays. Height and width are
    floor-divided by 4, as the edge does for whole frames.
    """
    height, width = hr_bgr.shape[:2]
    lr = cv2.resize(hr_bgr, (width // SCALE, height // SCALE), interpolation=cv2.INTER_AREA)
    ok, encoded = cv2.imencode(".jpg", lr, [cv2.IMWRITE_JPEG_QUALITY, int(quality)])
    if not ok:
        raise RuntimeError(f"cv2.imencode failed for a {lr.shape} image at quality {quality}")
    return cv2.imdecode(encoded, cv2.IMREAD_COLOR)


def crop_to_multiple(image: np.ndarray, multiple: int = SCALE) -> np.ndarray:
    """Drop the last rows and columns so that height and width are multiples of `multiple`."""
    height, width = image.shape[:2]
    return image[: height - height % multiple, : width - width % multiple]


def load_data_list(path: Path = DATA_LIST_PATH) -> dict:
    with open(path, encoding="utf-8") as file:
        return json.load(file)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def installed_version(package: str) -> str | None:
    """Return the installed version of a Debian package, or None when it is not installed."""
    result = subprocess.run(
        ["dpkg-query", "-W", "-f=${db:Status-Abbrev} ${Version}", package],
        capture_output=True, text=True, check=False,
    )
    if result.returncode != 0 or not result.stdout.startswith("ii"):
        return None
    return result.stdout.split()[-1]


def check_sources(data_list: dict, accept_changed_data: bool, log) -> None:
    """Check that every package is installed and every file exists with the SHA-256 in the data list.

    Raises DataError naming the apt-get command for a missing package, and for a
    changed file unless accept_changed_data is set, in which case it only logs a
    warning (the run is then not a reproduction of the shipped one).
    """
    missing = sorted({
        source["package"] for source in data_list["sources"]
        if installed_version(source["package"]) is None or not Path(source["file"]).is_file()
    })
    if missing:
        raise DataError(
            f"training data not found: Debian package(s) {', '.join(missing)} not installed. "
            f"Run: apt-get install {' '.join(missing)}"
        )
    for source in data_list["sources"]:
        path = Path(source["file"])
        version = installed_version(source["package"])
        actual = sha256_of(path)
        if actual == source["sha256"]:
            continue
        message = (
            f"{path} has SHA-256 {actual}, but data-list.json records {source['sha256']} "
            f"from {source['package']} {source['packageVersion']} (installed: {version})"
        )
        if not accept_changed_data:
            raise DataError(message + ". Install that package version, or pass --accept-changed-data "
                            "to train on the installed files anyway")
        log(f"warning: {message}. Continuing because of --accept-changed-data")


def update_data_list(path: Path = DATA_LIST_PATH) -> dict:
    """Rewrite the package versions and SHA-256 values in data-list.json from the installed files."""
    data_list = load_data_list(path)
    for source in data_list["sources"]:
        version = installed_version(source["package"])
        if version is None or not Path(source["file"]).is_file():
            raise DataError(f"{source['file']} not found. Run: apt-get install {source['package']}")
        source["packageVersion"] = version
        source["sha256"] = sha256_of(Path(source["file"]))
    with open(path, "w", encoding="utf-8") as file:
        json.dump(data_list, file, indent=2)
        file.write("\n")
    return data_list


def frame_indices(source: dict) -> list[int]:
    frames = source["frames"]
    return list(range(frames["first"], frames["last"] + 1, frames.get("step", 1)))


def read_video_frames(path: Path, indices: list[int]) -> list[np.ndarray]:
    """Decode the video from its start and keep the frames with the given 0-based indices.

    Decoding sequentially instead of seeking makes the frame numbering independent
    of the container's seek accuracy.
    """
    requested = set(indices)
    last = max(indices)
    capture = cv2.VideoCapture(str(path))
    if not capture.isOpened():
        raise DataError(f"OpenCV failed to open {path}. Check that python3-opencv has FFmpeg support")
    frames = []
    index = 0
    try:
        while index <= last:
            ok, frame = capture.read()
            if not ok:
                raise DataError(f"{path} ended at frame {index}, but frames up to {last} are needed")
            if index in requested:
                frames.append(frame)
            index += 1
    finally:
        capture.release()
    return frames


def read_source(source: dict) -> list[Image]:
    """Read an entry of the data list as BGR uint8 images."""
    path = Path(source["file"])
    if source["kind"] == "video":
        indices = frame_indices(source)
        frames = read_video_frames(path, indices)
        return [Image(f"{path.name}#{index}", frame) for index, frame in zip(indices, frames)]
    image = cv2.imread(str(path), cv2.IMREAD_COLOR)
    if image is None:
        raise DataError(f"OpenCV failed to read {path}")
    return [Image(path.name, image)]


class PatchSampler:
    """Draws training pairs (LR patch, HR patch) from the training sources in a fixed order.

    Every draw uses the sampler's own numpy Generator, so a seed fixes the sequence
    of images, crop positions, flips and JPEG qualities. The HR crop is
    4 * lr_size pixels square, and the LR patch is made from it with degrade().
    """

    def __init__(self, sources: list[dict], lr_size: int, quality_range: tuple[int, int], seed: int):
        self.images: list[np.ndarray] = []
        weights: list[float] = []
        self.hr_size = SCALE * lr_size
        for source in sources:
            images = read_source(source)
            for image in images:
                height, width = image.pixels.shape[:2]
                if height < self.hr_size or width < self.hr_size:
                    raise DataError(f"{image.label} is {width}x{height}, smaller than the {self.hr_size}-pixel crop")
                self.images.append(image.pixels)
                weights.append(source["samplingWeight"] / len(images))
        self.probabilities = np.asarray(weights) / np.sum(weights)
        self.quality_range = quality_range
        self.rng = np.random.Generator(np.random.PCG64(seed))

    def draw_crop(self) -> np.ndarray:
        image = self.images[self.rng.choice(len(self.images), p=self.probabilities)]
        height, width = image.shape[:2]
        top = int(self.rng.integers(0, height - self.hr_size + 1))
        left = int(self.rng.integers(0, width - self.hr_size + 1))
        return image[top:top + self.hr_size, left:left + self.hr_size]

    def draw_pair(self) -> tuple[np.ndarray, np.ndarray]:
        """Return one (LR, HR) pair as RGB uint8 arrays of shape [size, size, 3]."""
        crop = self.draw_crop()
        for _ in range(FLAT_CROP_RETRIES):
            if crop.std() >= FLAT_CROP_STD:
                break
            crop = self.draw_crop()
        if self.rng.random() < 0.5:
            crop = crop[:, ::-1]
        crop = np.ascontiguousarray(crop)
        low, high = self.quality_range
        quality = int(self.rng.integers(low, high + 1))
        lr = degrade(crop, quality)
        return cv2.cvtColor(lr, cv2.COLOR_BGR2RGB), cv2.cvtColor(crop, cv2.COLOR_BGR2RGB)

    def draw_batch(self, batch_size: int) -> tuple[np.ndarray, np.ndarray]:
        """Return LR and HR batches as float32 NCHW arrays in [0, 255]."""
        pairs = [self.draw_pair() for _ in range(batch_size)]
        lr = np.stack([pair[0] for pair in pairs]).transpose(0, 3, 1, 2).astype(np.float32)
        hr = np.stack([pair[1] for pair in pairs]).transpose(0, 3, 1, 2).astype(np.float32)
        return lr, hr
