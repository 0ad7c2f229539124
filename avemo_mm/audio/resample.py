"""Band-limited resampling in numpy, the same filter as ``torchaudio.functional.resample``."""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np


def resample(audio: np.ndarray, source_rate: int, target_rate: int) -> np.ndarray:
    """``[S]`` float32 audio from ``source_rate`` to ``target_rate`` Hz.

    torchaudio's default: windowed-sinc interpolation with a Hann window, 6 zero
    crossings, cut-off at 0.99 of the lower Nyquist frequency, the signal zero-padded at
    both ends, ``ceil(S * target / source)`` samples out. It equals torchaudio's to about
    1e-6 (float32 sums in another order; ``tests/audio/test_resample.py``), so a
    deployment without PyTorch hears what training heard.
    """
    if source_rate <= 0 or target_rate <= 0:
        raise ValueError(f'sample rates must be > 0, got {source_rate} and {target_rate}')
    audio = np.asarray(audio, dtype=np.float32)
    if source_rate == target_rate:
        return audio
    gcd = math.gcd(int(source_rate), int(target_rate))
    orig, new = int(source_rate) // gcd, int(target_rate) // gcd
    kernel, width = _sinc_kernel(orig, new)  # [new, K], K = 2 * width + orig
    padded = np.pad(audio, (width, width + orig))
    count = (len(padded) - kernel.shape[1]) // orig + 1
    frames = np.lib.stride_tricks.as_strided(
        padded, (count, kernel.shape[1]), (padded.strides[0] * orig, padded.strides[0])
    )  # [count, K], one per group of `orig` input samples
    out = (frames @ kernel.T).reshape(-1)  # [count * new]
    return out[: math.ceil(new * len(audio) / orig)].astype(np.float32, copy=False)


@lru_cache(maxsize=8)
def _sinc_kernel(orig: int, new: int, zeros: int = 6, rolloff: float = 0.99):
    """``[new, 2 * width + orig]`` float32 filters (one per output phase) and ``width``."""
    base = min(orig, new) * rolloff
    width = math.ceil(zeros * orig / base)
    idx = np.arange(-width, width + orig, dtype=np.float32)[None] / np.float32(orig)
    t = np.arange(0, -new, -1, dtype=np.float32)[:, None] / np.float32(new) + idx
    t = np.clip(t * np.float32(base), -zeros, zeros)
    window = np.cos(t * np.float32(math.pi / zeros / 2)) ** 2
    t = t * np.float32(math.pi)
    with np.errstate(divide='ignore', invalid='ignore'):
        kernel = np.where(t == 0, np.float32(1.0), np.sin(t) / t)
    return (kernel * window * np.float32(base / orig)).astype(np.float32), width
