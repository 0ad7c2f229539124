"""Augmentations of the voice: noise, gain, time and pitch shift on the waveform,
SpecAugment masks on the spectrogram images.

The waveform ones go between :class:`LoadAudio` and :class:`SnippetLogSpectrogram`,
the masks after it. Each draws from numpy's or torch's global generator, which the
runner seeds per epoch and per worker, so a seeded run repeats them exactly.
"""

from __future__ import annotations

import numpy as np
import torch
import torchaudio
from mmaction.registry import TRANSFORMS
from mmcv.transforms import BaseTransform


def _check_range(name: str, value: tuple[float, float]) -> tuple[float, float]:
    low, high = value
    if low > high:
        raise ValueError(f'{name} must be (low, high) with low <= high, got {value}')
    return float(low), float(high)


def pink_from_white(white: np.ndarray) -> np.ndarray:
    """``white`` noise ``[S]`` shaped to a 1/f power spectrum (its scale is arbitrary)."""
    spectrum = np.fft.rfft(white)
    spectrum /= np.sqrt(np.maximum(np.arange(len(spectrum)), 1.0))
    return np.fft.irfft(spectrum, len(white))


def _check_prob(prob: float) -> float:
    if not 0.0 <= prob <= 1.0:
        raise ValueError(f'prob must be in [0, 1], got {prob}')
    return prob


@TRANSFORMS.register_module()
class AudioNoise(BaseTransform):
    """Add background noise at a random speech-to-noise ratio.

    The signal's power is taken over its louder half of 20 ms frames (the speech, not
    the pauses), so the SNR means what it says for a sentence with silences.

    Required Keys:
        - audio: ``[S]`` float32
        - audio_sample_rate

    Modified Keys:
        - audio

    Args:
        snr_db (tuple[float, float]): Range of the SNR in dB. Defaults to ``(5, 30)``.
        color (str): ``'white'`` or ``'pink'`` (1/f power, like rooms and crowds).
            Defaults to ``'pink'``.
        prob (float): Chance that a clip gets noise. Defaults to ``0.5``.
    """

    def __init__(
        self, snr_db: tuple[float, float] = (5.0, 30.0), color: str = 'pink', prob: float = 0.5
    ) -> None:
        if color not in ('white', 'pink'):
            raise ValueError(f"color must be 'white' or 'pink', got {color!r}")
        self.snr_db, self.color, self.prob = (
            _check_range('snr_db', snr_db),
            color,
            _check_prob(prob),
        )

    def transform(self, results: dict) -> dict:
        audio = results['audio']
        if np.random.rand() >= self.prob or not len(audio):
            return results
        frame = max(1, int(0.02 * results['audio_sample_rate']))
        powers = np.mean(audio[: len(audio) // frame * frame].reshape(-1, frame) ** 2, axis=1)
        signal = np.mean(powers[powers >= np.median(powers)]) if len(powers) else 0.0
        if signal <= 0:
            return results  # silence: no ratio to keep
        noise = np.random.randn(len(audio))
        if self.color == 'pink':
            noise = pink_from_white(noise)
        noise *= np.sqrt(signal / 10 ** (np.random.uniform(*self.snr_db) / 10) / np.mean(noise**2))
        results['audio'] = (audio + noise).astype(np.float32)
        return results

    def __repr__(self) -> str:
        return (
            f'{type(self).__name__}(snr_db={self.snr_db}, color={self.color!r}, prob={self.prob})'
        )


@TRANSFORMS.register_module()
class AudioGain(BaseTransform):
    """Scale the waveform by a random gain (a speaker nearer or farther, another level).

    Required Keys:
        - audio: ``[S]`` float32

    Modified Keys:
        - audio

    Args:
        gain_db (tuple[float, float]): Range of the gain in dB. Defaults to ``(-6, 6)``.
        prob (float): Chance that a clip is scaled. Defaults to ``1.0``.
    """

    def __init__(self, gain_db: tuple[float, float] = (-6.0, 6.0), prob: float = 1.0) -> None:
        self.gain_db, self.prob = _check_range('gain_db', gain_db), _check_prob(prob)

    def transform(self, results: dict) -> dict:
        if np.random.rand() < self.prob:
            gain = 10 ** (np.random.uniform(*self.gain_db) / 20)
            results['audio'] = (results['audio'] * gain).astype(np.float32)
        return results

    def __repr__(self) -> str:
        return f'{type(self).__name__}(gain_db={self.gain_db}, prob={self.prob})'


@TRANSFORMS.register_module()
class AudioTimeShift(BaseTransform):
    """Shift the waveform against the video by a random time, filling with silence.

    Small shifts teach the model that the sound and the picture of a recording are not
    exactly in step (a microphone's delay, an encoder's).

    Required Keys:
        - audio: ``[S]`` float32
        - audio_sample_rate

    Modified Keys:
        - audio

    Args:
        max_seconds (float): The largest shift, either way. Defaults to ``0.1``.
        prob (float): Chance that a clip is shifted. Defaults to ``0.5``.
    """

    def __init__(self, max_seconds: float = 0.1, prob: float = 0.5) -> None:
        if max_seconds < 0:
            raise ValueError(f'max_seconds must be >= 0, got {max_seconds}')
        self.max_seconds, self.prob = max_seconds, _check_prob(prob)

    def transform(self, results: dict) -> dict:
        if np.random.rand() >= self.prob:
            return results
        audio = results['audio']
        limit = int(self.max_seconds * results['audio_sample_rate'])
        shift = int(np.random.randint(-limit, limit + 1)) if limit else 0
        shifted = np.zeros_like(audio)
        if shift >= 0:
            shifted[shift:] = audio[: len(audio) - shift]
        else:
            shifted[:shift] = audio[-shift:]
        results['audio'] = shifted
        return results

    def __repr__(self) -> str:
        return f'{type(self).__name__}(max_seconds={self.max_seconds}, prob={self.prob})'


@TRANSFORMS.register_module()
class AudioPitchShift(BaseTransform):
    """Shift the voice's pitch by a random number of semitones, keeping its duration.

    Another speaker's voice, higher or lower, saying the same thing at the same time:
    the emotion's cues (the pitch's movement, the rate, the loudness) stay where they
    were against the speaker's own level, the level itself moves. The waveform is
    stretched in time by the pitch ratio with a phase vocoder (torchaudio's), then
    resampled back to its length (linear interpolation), so the sound stays in step
    with the picture.

    Required Keys:
        - audio: ``[S]`` float32
        - audio_sample_rate

    Modified Keys:
        - audio

    Args:
        semitones (tuple[float, float]): Range of the shift. Defaults to ``(-4, 4)``.
        window_ms (float): The vocoder's window. Defaults to ``32``.
        prob (float): Chance that a clip is shifted. Defaults to ``0.5``.
    """

    def __init__(
        self,
        semitones: tuple[float, float] = (-4.0, 4.0),
        window_ms: float = 32.0,
        prob: float = 0.5,
    ) -> None:
        self.semitones, self.prob = _check_range('semitones', semitones), _check_prob(prob)
        if window_ms <= 0:
            raise ValueError(f'window_ms must be > 0, got {window_ms}')
        self.window_ms = window_ms

    def transform(self, results: dict) -> dict:
        audio = results['audio']
        if np.random.rand() >= self.prob or not len(audio):
            return results
        ratio = 2.0 ** (np.random.uniform(*self.semitones) / 12)
        n_fft = 2 ** int(np.ceil(np.log2(self.window_ms / 1000 * results['audio_sample_rate'])))
        hop = n_fft // 4
        window = torch.hann_window(n_fft)
        wave = torch.from_numpy(np.ascontiguousarray(audio, dtype=np.float32))
        spec = torch.stft(wave, n_fft, hop, window=window, return_complex=True)  # [F, T]
        advance = torch.linspace(0, np.pi * hop, n_fft // 2 + 1)[:, None]
        # stretched by the pitch ratio: played back faster by that ratio, it is as long
        # as before and every frequency is ratio times higher
        stretched = torchaudio.functional.phase_vocoder(spec, 1 / ratio, advance)
        longer = torch.istft(stretched, n_fft, hop, window=window).numpy()
        positions = np.arange(len(audio)) * ratio
        shifted = np.interp(positions, np.arange(len(longer)), longer, right=0.0)
        results['audio'] = shifted.astype(np.float32)
        return results

    def __repr__(self) -> str:
        return (
            f'{type(self).__name__}(semitones={self.semitones}, window_ms={self.window_ms}, '
            f'prob={self.prob})'
        )


@TRANSFORMS.register_module()
class SpectrogramMasks(BaseTransform):
    """SpecAugment's frequency and time masks on each spectrogram image (torchaudio's).

    Each of the N images gets its own masks; a masked band is set to the image's mean
    (0 after the per-image normalisation), so it carries nothing.

    Required Keys:
        - audios: ``[N, 1, F, L]`` float32 (from :class:`SnippetLogSpectrogram`)

    Modified Keys:
        - audios

    Args:
        freq_masks (int): Masks along the frequency axis. Defaults to ``1``.
        freq_width (int): The widest frequency mask, in bins. Defaults to ``8``.
        time_masks (int): Masks along the time axis. Defaults to ``1``.
        time_width (int): The widest time mask, in frames. Defaults to ``10``.
        prob (float): Chance that a clip is masked. Defaults to ``0.5``.
    """

    def __init__(
        self,
        freq_masks: int = 1,
        freq_width: int = 8,
        time_masks: int = 1,
        time_width: int = 10,
        prob: float = 0.5,
    ) -> None:
        self.freq_masks, self.time_masks, self.prob = freq_masks, time_masks, _check_prob(prob)
        self.freq_width, self.time_width = freq_width, time_width
        self.freq = torchaudio.transforms.FrequencyMasking(freq_width, iid_masks=True)
        self.time = torchaudio.transforms.TimeMasking(time_width, iid_masks=True)

    def transform(self, results: dict) -> dict:
        if np.random.rand() >= self.prob:
            return results
        given = results['audios']
        images = torch.as_tensor(given)  # [N, 1, F, L]
        fill = images.mean(dim=(1, 2, 3), keepdim=True)
        masked = images - fill
        for _ in range(self.freq_masks):
            masked = self.freq(masked)
        for _ in range(self.time_masks):
            masked = self.time(masked)
        masked = masked + fill
        results['audios'] = masked if torch.is_tensor(given) else masked.numpy()
        return results

    def __repr__(self) -> str:
        return (
            f'{type(self).__name__}(freq_masks={self.freq_masks}, freq_width={self.freq_width}, '
            f'time_masks={self.time_masks}, time_width={self.time_width}, prob={self.prob})'
        )


__all__ = ['AudioGain', 'AudioNoise', 'AudioPitchShift', 'AudioTimeShift', 'SpectrogramMasks']
