"""The spectrogram's frequency axis: band edges on a mel or log scale, and the
triangular filters that pool STFT bins into those bands."""

from __future__ import annotations

import numpy as np


def band_edges(scale: str, num_bins: int, f_min: float, f_max: float) -> np.ndarray:
    """``[num_bins + 2]`` frequencies (Hz): band ``i`` rises from edge ``i`` to its
    centre, edge ``i + 1``, and falls to edge ``i + 2``.

    ``'mel'``: equal steps on the HTK mel scale from ``f_min`` to ``f_max`` (the
    outermost edges; torchaudio's ``melscale_fbanks`` convention). ``'log'``: equal
    steps in semitones, the centres from ``f_min`` to ``f_max``, so a change of pitch
    moves every harmonic by the same number of bands.
    """
    if not 0 <= f_min < f_max or (scale == 'log' and f_min <= 0):
        raise ValueError(
            f'{scale} bands need 0 <= f_min < f_max (log: f_min > 0), got {(f_min, f_max)}'
        )
    if scale == 'mel':
        mel = np.linspace(_hz_to_mel(f_min), _hz_to_mel(f_max), num_bins + 2)
        return 700.0 * (10.0 ** (mel / 2595.0) - 1.0)
    if scale == 'log':
        step = (f_max / f_min) ** (1 / max(num_bins - 1, 1))
        return f_min * step ** np.arange(-1, num_bins + 1, dtype=np.float64)
    raise ValueError(f"band edges need scale 'mel' or 'log', got {scale!r}")


def _hz_to_mel(freq: float) -> float:
    return 2595.0 * np.log10(1.0 + freq / 700.0)


def triangular_filterbank(n_stft: int, sample_rate: int, edges: np.ndarray) -> np.ndarray:
    """``[n_stft, len(edges) - 2]`` float32 triangular filters over the STFT's bins.

    Each side of a triangle is at least one STFT bin wide, so that a band narrower
    than the bins' spacing (low bands of a fine log scale) still takes its nearest
    bins: there the bands interpolate the STFT rather than pool it. Bands above half
    the sample rate are empty (all zeros).
    """
    edges = np.asarray(edges, dtype=np.float64)
    freqs = _linspace(0.0, sample_rate / 2, n_stft)  # [n_stft]
    spacing = float(freqs[1])
    lower, centre, upper = edges[:-2], edges[1:-1], edges[2:]  # [num_bins] each
    offset = freqs[:, None] - centre[None, :]  # [n_stft, num_bins]
    rising = 1 + offset / np.maximum(centre - lower, spacing)
    falling = 1 - offset / np.maximum(upper - centre, spacing)
    return np.maximum(np.where(offset < 0, rising, falling), 0).astype(np.float32)


def _linspace(start: float, end: float, steps: int) -> np.ndarray:
    """``torch.linspace``'s values to the bit (the first half counted up from ``start``,
    the second down from ``end``), so the filters equal those the models trained with."""
    step = (end - start) / (steps - 1)
    index = np.arange(steps, dtype=np.float64)
    return np.where(index < steps // 2, start + step * index, end - step * (steps - 1 - index))
