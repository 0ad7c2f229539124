"""One log spectrogram per visual snippet, in numpy: what
:class:`~avemo_mm.datasets.transforms.SnippetLogSpectrogram` computes, without PyTorch.

The transform (torchaudio's STFT, the models' training input) and this function take the
same :class:`SpectrogramSettings` and share the segment cutting and the filters; their
outputs agree to about 1e-5 on the same clip (``tests/audio/test_snippet_spectrogram.py``).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace

import cv2
import numpy as np

from .frequency_bands import band_edges, triangular_filterbank
from .voice_pitch import HARMONICS, harmonic_salience, median_pitch

NORMALIZATIONS = ('segment', 'clip', None)
SCALES = ('linear', 'mel', 'log', 'pitch')
# 'pitch' with pitch_reference: candidates this many semitones either side of it
PITCH_SPAN = 8


@dataclass(frozen=True)
class SpectrogramSettings:
    """The spectrogram's parameters (``SnippetLogSpectrogram``'s arguments, checked).

    ``f_min`` / ``f_max`` None take the scale's defaults (see the transform); the
    derived sizes are properties.
    """

    sample_rate: int = 16000
    segment_seconds: float = 1.0
    window_ms: float = 32.0
    hop_ms: float = 10.0
    num_bins: int = 256
    scale: str = 'linear'
    out_size: tuple[int, int] | None = None
    normalize: str | None = 'segment'
    f_min: float | None = None
    f_max: float | None = None
    pitch_reference: float | None = None
    pitch_rows: int = 0
    pitch_window_ms: float = 64.0

    def __post_init__(self) -> None:
        if self.pitch_rows < 0 or (self.pitch_rows and self.scale == 'pitch'):
            raise ValueError(
                f"pitch_rows must be >= 0 (and 0 with scale='pitch'), got {self.pitch_rows}"
            )
        if self.normalize not in NORMALIZATIONS:
            raise ValueError(f'normalize must be one of {NORMALIZATIONS}, got {self.normalize!r}')
        if self.scale not in SCALES:
            raise ValueError(f'scale must be one of {SCALES}, got {self.scale!r}')
        if self.scale == 'linear' and self.num_bins > self.n_stft:
            raise ValueError(
                f'num_bins={self.num_bins} exceeds the {self.n_stft} bins of a '
                f'{self.window_ms} ms window at {self.sample_rate} Hz'
            )
        if self.pitch_reference is not None and self.scale == 'linear':
            raise ValueError("pitch_reference needs scale='mel', 'log' or 'pitch'")
        nyquist = self.sample_rate / 2
        reference, span = self.pitch_reference, 2 ** (PITCH_SPAN / 12)
        defaults = {
            'linear': (None, None),
            'mel': (0.0, nyquist / 2 if reference else nyquist),
            'log': (60.0, 3600.0 if reference else 6000.0),
            'pitch': (reference / span, reference * span) if reference else (60.0, 500.0),
        }[self.scale]
        if self.f_min is None:
            object.__setattr__(self, 'f_min', defaults[0])
        if self.f_max is None:
            object.__setattr__(self, 'f_max', defaults[1])
        if self.out_size is not None:
            object.__setattr__(self, 'out_size', tuple(int(s) for s in self.out_size))
        edges = self.edges
        if edges is not None and self.scale == 'pitch':  # the highest harmonic summed
            edges = edges * HARMONICS
        # with pitch_reference the bands move up by as much as an octave
        limit = nyquist / 2 if self.pitch_reference else nyquist
        if edges is not None and edges[-1] > limit * 1.0001:
            raise ValueError(
                f'{self.scale} bands up to {edges[-1]:.0f} Hz exceed {limit:.0f} Hz (half the '
                'sample rate, a quarter with pitch_reference): lower f_max'
            )

    @property
    def win(self) -> int:
        return int(round(self.sample_rate * self.window_ms / 1000))

    @property
    def hop(self) -> int:
        return int(round(self.sample_rate * self.hop_ms / 1000))

    @property
    def n_stft(self) -> int:
        return self.win // 2 + 1

    @property
    def frames(self) -> int:
        """Spectrogram frames per segment (L)."""
        return int(round(self.segment_seconds * 1000 / self.hop_ms))

    @property
    def segment_samples(self) -> int:
        return (self.frames - 1) * self.hop + self.win

    @property
    def edges(self) -> np.ndarray | None:
        """The mel or log bands' edges in Hz (None for the linear bins)."""
        if self.scale == 'linear':
            return None
        scale = 'log' if self.scale == 'pitch' else self.scale  # candidates a log step apart
        return band_edges(scale, self.num_bins, self.f_min, self.f_max)

    @property
    def pitch_image(self) -> SpectrogramSettings | None:
        """The settings of the pitch image stacked under the spectrogram (``pitch_rows``
        candidates, ``pitch_window_ms``, the same hop, segments and normalisation), or
        None without one."""
        if not self.pitch_rows:
            return None
        return replace(
            self,
            scale='pitch',
            num_bins=self.pitch_rows,
            window_ms=self.pitch_window_ms,
            f_min=None,
            f_max=None,
            out_size=None,
            pitch_rows=0,
        )

    def asdict(self) -> dict:
        return asdict(self)


def cut_segments(audio: np.ndarray, times: np.ndarray, settings: SpectrogramSettings):
    """``[N, A]`` waveform windows (A samples each) centred on ``times`` (seconds).

    Samples before the audio's start or after its end are silence (zeros), also when
    the audio track is shorter than the video.
    """
    audio = np.asarray(audio, dtype=np.float32)
    length, rate = settings.segment_samples, settings.sample_rate
    starts = np.round(np.asarray(times) * rate).astype(np.int64) - length // 2
    index = starts[:, None] + np.arange(length)  # [N, A] sample positions
    inside = (index >= 0) & (index < len(audio))
    if not len(audio):
        return np.zeros(index.shape, np.float32)
    return np.where(inside, audio[np.clip(index, 0, len(audio) - 1)], 0).astype(np.float32)


def pitch_ratio(audio: np.ndarray, settings: SpectrogramSettings) -> float:
    """The clip's median pitch over ``settings.pitch_reference``, held within 0.5-2 (1
    when no pitch is found, as in silence, or without a reference)."""
    if settings.pitch_reference is None:
        return 1.0
    pitch = median_pitch(np.asarray(audio, dtype=np.float32), settings.sample_rate)
    return 1.0 if pitch is None else float(np.clip(pitch / settings.pitch_reference, 0.5, 2))


def clip_filterbank(
    audio: np.ndarray, settings: SpectrogramSettings, ratio: float | None = None
) -> np.ndarray | None:
    """``[n_stft, num_bins]`` filters for this clip (None: the lowest linear bins).

    With ``pitch_reference``, the bands' frequencies times the clip's
    :func:`pitch_ratio` (``ratio`` when the caller has it already).
    """
    if settings.scale == 'linear':
        return None
    edges = settings.edges
    if settings.pitch_reference is not None:
        edges = edges * (pitch_ratio(audio, settings) if ratio is None else ratio)
    if settings.scale == 'pitch':  # the bands of each candidate's harmonics, k = 1..K
        return np.concatenate(
            [
                triangular_filterbank(settings.n_stft, settings.sample_rate, edges * k)
                for k in range(1, HARMONICS + 1)
            ],
            axis=1,
        )  # [n_stft, K * num_bins]
    if settings.pitch_reference is not None:
        return triangular_filterbank(settings.n_stft, settings.sample_rate, edges)
    if settings.scale == 'mel':
        return mel_filterbank(settings)
    return triangular_filterbank(settings.n_stft, settings.sample_rate, edges)


def mel_filterbank(settings: SpectrogramSettings) -> np.ndarray:
    """``[n_stft, num_bins]`` torchaudio's ``melscale_fbanks`` (HTK, no norm) in numpy."""
    freqs = np.linspace(0, settings.sample_rate // 2, settings.n_stft, dtype=np.float32)
    points = settings.edges.astype(np.float32)  # [num_bins + 2]
    widths = points[1:] - points[:-1]
    slopes = points[None, :] - freqs[:, None]  # [n_stft, num_bins + 2]
    down = -slopes[:, :-2] / widths[:-1]
    up = slopes[:, 2:] / widths[1:]
    return np.maximum(0, np.minimum(down, up)).astype(np.float32)


def snippet_log_spectrogram(
    audio: np.ndarray, times: np.ndarray, settings: SpectrogramSettings
) -> np.ndarray:
    """``[N, 1, F, L]`` float32: the normalised log spectrogram of each segment, with
    ``settings.pitch_rows`` rows of the pitch image under it when asked
    (``F = num_bins + pitch_rows``, or ``out_size``).

    Args:
        audio (np.ndarray): ``[S]`` mono waveform at ``settings.sample_rate``.
        times (np.ndarray): ``[N]`` segment centres in seconds (the snippets' centres).
        settings (SpectrogramSettings): What to compute.
    """
    ratio = pitch_ratio(audio, settings)  # once a clip: both images move by it
    spec = _one_image(audio, times, settings, ratio)
    if settings.pitch_image is not None:
        spec = np.concatenate([spec, pitch_image_rows(audio, times, settings, ratio)], axis=1)
    return resize_images(spec, settings)[:, None].astype(np.float32, copy=False)


def pitch_image_rows(
    audio: np.ndarray, times: np.ndarray, settings: SpectrogramSettings, ratio: float
) -> np.ndarray:
    """``[N, pitch_rows, L]`` the pitch image stacked under the spectrogram
    (``settings.pitch_image``, moved by the clip's :func:`pitch_ratio`), normalised on
    its own as the spectrogram is."""
    return _one_image(audio, times, settings.pitch_image, ratio)


def resize_images(spec: np.ndarray, settings: SpectrogramSettings) -> np.ndarray:
    """``[N, F, L]`` -> ``[N, *out_size]`` (bilinear, half-pixel centres as
    ``F.interpolate``), or as it is without ``out_size``."""
    if settings.out_size is None:
        return spec
    height, width = settings.out_size
    return np.stack([cv2.resize(s, (width, height), interpolation=cv2.INTER_LINEAR) for s in spec])


def _one_image(
    audio: np.ndarray, times: np.ndarray, settings: SpectrogramSettings, ratio: float
) -> np.ndarray:
    """``[N, F, L]`` the normalised images of one scale (no resize), the bands moved by
    ``ratio`` (with ``pitch_reference``)."""
    segments = cut_segments(audio, times, settings)  # [N, A]
    win, hop = settings.win, settings.hop
    count = 1 + (segments.shape[1] - win) // hop
    frames = np.lib.stride_tricks.as_strided(
        segments,
        (len(segments), count, win),
        (segments.strides[0], segments.strides[1] * hop, segments.strides[1]),
    )  # [N, L, win]
    # torch.hamming_window (periodic): 0.54 - 0.46 cos(2 pi n / win)
    window = (0.54 - 0.46 * np.cos(2 * np.pi * np.arange(win) / win)).astype(np.float32)
    spec = np.abs(np.fft.rfft(frames * window, axis=2)).astype(np.float32)  # [N, L, n_stft]
    filters = clip_filterbank(audio, settings, ratio)
    if filters is None:
        spec = spec[:, :, : settings.num_bins]
    elif settings.scale == 'pitch':  # [N, L, K * num_bins] -> [N, L, num_bins]
        spec = harmonic_salience(spec @ filters, spec.mean(axis=(1, 2)))
    else:
        spec = spec @ filters  # [N, L, num_bins]
    if settings.scale == 'pitch':  # a sum of logs already
        spec = spec.transpose(0, 2, 1)  # [N, F, L]
    else:
        spec = np.log(spec.transpose(0, 2, 1) + np.float32(1e-6))  # [N, F, L]
    if settings.normalize == 'segment':
        mean = spec.mean(axis=(1, 2), keepdims=True)
        std = spec.std(axis=(1, 2), ddof=1, keepdims=True)
        spec = (spec - mean) / np.maximum(std, np.float32(1e-5))
    elif settings.normalize == 'clip':
        spec = (spec - spec.mean()) / max(float(spec.std(ddof=1)), 1e-5)
    return spec
