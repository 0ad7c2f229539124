"""A clip's typical voice pitch, for hearing a speaker's pitch relative to their own."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import scipy.fft

from .frequency_bands import band_edges, triangular_filterbank

BANDS_PER_SEMITONE = 4
HARMONICS = 8
HARMONIC_DECAY = 0.85  # the k-th harmonic's weight: 0.85^(k-1)


def median_pitch(
    audio: np.ndarray,
    sample_rate: int,
    f_min: float = 60.0,
    f_max: float = 500.0,
) -> float | None:
    """The median fundamental frequency (Hz) over the clip's loud frames, or None.

    Subharmonic summation: a log-frequency spectrum (64 ms Hann windows, hop 16 ms,
    4 bands a semitone up to 4 kHz, log-compressed) is summed over each candidate's
    first 8 harmonics (weights 0.85^(k-1), so that half the true pitch, which takes
    only the even harmonics, scores lower); per frame the best candidate from
    ``f_min`` to ``f_max``; the median over the frames with at least half the 90th
    percentile's energy (the voice, not the pauses). None for silence or a clip
    shorter than one window.

    Args:
        audio (np.ndarray): ``[S]`` mono waveform.
        sample_rate (int): Its rate in Hz.
        f_min (float): Lowest pitch considered. Defaults to ``60``.
        f_max (float): Highest pitch considered. Defaults to ``500``.
    """
    n_fft = 2 ** int(np.ceil(np.log2(0.064 * sample_rate)))
    if len(audio) < n_fft or not np.any(audio):
        return None
    filters = _pitch_bands(n_fft, sample_rate, f_min)  # [n_stft, bands]
    spec = _stft_magnitude(np.asarray(audio, dtype=np.float32), n_fft)  # [n_stft, T]
    energy = (spec**2).sum(axis=0)  # [T]
    if float(energy.max()) == 0:  # samples too small to leave any energy
        return None
    bands = np.log1p(filters.T @ spec / (spec.mean() + 1e-9))  # [bands, T]
    candidates = int(round(12 * BANDS_PER_SEMITONE * np.log2(f_max / f_min))) + 1
    salience = np.zeros((candidates, bands.shape[1]), np.float32)
    for k in range(1, HARMONICS + 1):
        offset = int(round(12 * BANDS_PER_SEMITONE * np.log2(k)))
        harmonic = bands[offset : offset + candidates]
        salience[: len(harmonic)] += np.float32(HARMONIC_DECAY ** (k - 1)) * harmonic
    loud = energy >= 0.5 * np.quantile(energy, 0.9)  # never empty: holds the loudest
    best = np.sort(salience[:, loud].argmax(axis=0))
    middle = best[(len(best) - 1) // 2]  # the lower middle, as torch's median
    return float(f_min * 2 ** (middle / (12 * BANDS_PER_SEMITONE)))


def harmonic_salience(energies: np.ndarray, scale: np.ndarray) -> np.ndarray:
    """``[N, L, F]`` subharmonic-summation salience of F pitch candidates per frame.

    Args:
        energies (np.ndarray): ``[N, L, K * F]`` the STFT magnitudes pooled into the
            band of each candidate's k-th harmonic (``k = 1..K`` in blocks of F).
        scale (np.ndarray): ``[N]`` each segment's mean STFT magnitude: the bands are
            log-compressed relative to it (``log1p``), as :func:`median_pitch` does.

    Returns:
        np.ndarray: ``sum_k 0.85^(k-1) log1p(band_k / scale)``, float32.
    """
    num, frames, width = energies.shape
    harmonics = width // HARMONICS
    bands = np.log1p(energies / (np.asarray(scale, np.float32)[:, None, None] + 1e-9))
    weights = (HARMONIC_DECAY ** np.arange(HARMONICS)).astype(np.float32)  # [K]
    bands = bands.reshape(num, frames, HARMONICS, harmonics)
    return np.einsum('nlkf,k->nlf', bands, weights).astype(np.float32)


def _stft_magnitude(wave: np.ndarray, n_fft: int) -> np.ndarray:
    """``[n_fft // 2 + 1, T]`` float32 magnitudes: periodic Hann windows, hop
    ``n_fft // 4``, the signal reflected by half a window at both ends (``torch.stft``'s
    defaults)."""
    hop = n_fft // 4
    padded = np.pad(wave, n_fft // 2, mode='reflect')
    count = 1 + (len(padded) - n_fft) // hop
    frames = np.lib.stride_tricks.as_strided(
        padded, (count, n_fft), (padded.strides[0] * hop, padded.strides[0])
    )
    window = (0.5 - 0.5 * np.cos(2 * np.pi * np.arange(n_fft) / n_fft)).astype(np.float32)
    # scipy's FFT keeps float32 (numpy's works in float64): 6x faster, on the hot path
    # of every training clip with pitch_reference
    return np.abs(scipy.fft.rfft(frames * window, axis=1)).T


@lru_cache(maxsize=8)
def _pitch_bands(n_fft: int, sample_rate: int, f_min: float) -> np.ndarray:
    """``[n_fft // 2 + 1, bands]``: 4 log bands a semitone from ``f_min`` to 4 kHz."""
    top = min(4000.0, sample_rate / 2)
    num_bands = int(round(12 * BANDS_PER_SEMITONE * np.log2(top / f_min))) + 1
    return triangular_filterbank(
        n_fft // 2 + 1, sample_rate, band_edges('log', num_bands, f_min, top)
    )
