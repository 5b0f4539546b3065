"""Write the image pair used by QualityOracleTests and print the values an independent implementation gives.

Run once with Debian's /usr/bin/python3 (OpenCV 4.6, scikit-image 0.19.3, SciPy 1.10.1, NumPy 1.24.2) from this
folder:

    /usr/bin/python3 make_oracle.py ../../../../samples/vtest-holdout.avi

reference.png is a 192 x 144 crop of frame 0 of the clip. candidate.png is that crop reduced 4x with area
averaging, JPEG-compressed at quality 30 and enlarged 4x bicubically. The script then prints PSNR (scikit-image,
data_range 255), SSIM on BT.601 luma (scikit-image, Gaussian window sigma 1.5, population covariance) and the
Frechet distance of two formula-defined feature sets (SciPy's sqrtm, as the usual FID code computes it).
"""

import sys

import cv2
import numpy as np
import scipy.linalg
from skimage.metrics import peak_signal_noise_ratio, structural_similarity


def features(count: int, dimension: int, phase: float, scale: float, offset: float) -> np.ndarray:
    i = np.arange(count, dtype=np.float64)[:, None]
    j = np.arange(dimension, dtype=np.float64)[None, :]
    values = scale * (np.sin(0.37 * i + 1.3 * j + phase) + 0.25 * np.cos(0.11 * i * (j + 1))) + 0.05 * j + offset
    # The C# test builds the same values in float32.
    return values.astype(np.float32).astype(np.float64)


def frechet(a: np.ndarray, b: np.ndarray) -> float:
    mu1, mu2 = a.mean(axis=0), b.mean(axis=0)
    s1, s2 = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    root, _ = scipy.linalg.sqrtm(s1 @ s2, disp=False)
    return float(((mu1 - mu2) ** 2).sum() + np.trace(s1 + s2 - 2 * root.real))


def main() -> None:
    capture = cv2.VideoCapture(sys.argv[1])
    ok, frame = capture.read()
    assert ok
    reference = frame[200:344, 300:492].copy()
    small = cv2.resize(reference, (48, 36), interpolation=cv2.INTER_AREA)
    _, jpeg = cv2.imencode(".jpg", small, [cv2.IMWRITE_JPEG_QUALITY, 30])
    candidate = cv2.resize(cv2.imdecode(jpeg, cv2.IMREAD_COLOR), (192, 144), interpolation=cv2.INTER_CUBIC)
    cv2.imwrite("reference.png", reference)
    cv2.imwrite("candidate.png", candidate)

    x = cv2.imread("reference.png")[:, :, ::-1].astype(np.float64)
    y = cv2.imread("candidate.png")[:, :, ::-1].astype(np.float64)
    luma = np.array([0.299, 0.587, 0.114])
    print("psnr", repr(peak_signal_noise_ratio(x, y, data_range=255)))
    print("ssim", repr(structural_similarity(
        x @ luma, y @ luma, gaussian_weights=True, sigma=1.5, use_sample_covariance=False, data_range=255)))
    print("fd", repr(frechet(features(64, 6, 0.0, 1.0, 0.0), features(80, 6, 0.9, 1.5, 0.3))))


if __name__ == "__main__":
    main()
