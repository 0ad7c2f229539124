"""The audio front-end in numpy (what a deployment without PyTorch runs) against the
training transforms and torchaudio, on the same audio."""

import numpy as np
import pytest
import torch
import torchaudio

from avemo_mm.audio import SpectrogramSettings, resample, snippet_log_spectrogram
from avemo_mm.audio.frequency_bands import _linspace
from avemo_mm.audio.snippet_spectrogram import mel_filterbank
from avemo_mm.datasets.transforms import SnippetLogSpectrogram


@pytest.fixture(scope='module')
def voice() -> np.ndarray:
    """4 s of a gliding harmonic voice in syllables with noise at 15 dB SNR, 16 kHz."""
    rng = np.random.default_rng(0)
    t = np.arange(4 * 16000) / 16000
    phase = 2 * np.pi * np.cumsum(140 * 2 ** (3 * t / 4 / 12)) / 16000
    speech = sum(0.7**k * np.sin((k + 1) * phase) for k in range(8))
    speech *= 0.2 + np.clip(np.sin(2 * np.pi * 3 * t), 0, None) ** 2
    noise = rng.normal(0, 1, len(t))
    noise *= np.sqrt(np.mean(speech**2) / np.mean(noise**2) / 10**1.5)
    return (0.2 * (speech + noise)).astype(np.float32)


@pytest.mark.parametrize('rates', [(48000, 16000), (44100, 16000), (8000, 16000), (22050, 16000)])
def test_resample_is_torchaudios(rates, voice):
    source, target = rates
    audio = resample(voice, 16000, source) if source != 16000 else voice
    expected = torchaudio.functional.resample(torch.from_numpy(audio), source, target).numpy()
    got = resample(audio, source, target)
    assert got.shape == expected.shape and np.abs(got - expected).max() < 1e-5


def test_band_frequencies_are_torchs_to_the_bit():
    """The filters the models trained with were computed on ``torch.linspace``."""
    for steps, end in ((257, 8000.0), (513, 8000.0), (1025, 22050.0), (2, 1.0), (7, 3.5)):
        expected = torch.linspace(0, end, steps, dtype=torch.float64).numpy()
        assert np.array_equal(_linspace(0.0, end, steps), expected)


def test_mel_filters_are_torchaudios():
    settings = SpectrogramSettings(num_bins=64, scale='mel')
    expected = torchaudio.functional.melscale_fbanks(257, 0.0, 8000.0, 64, 16000).numpy()
    assert np.abs(mel_filterbank(settings) - expected).max() < 1e-5  # float32 band edges


@pytest.mark.parametrize(
    'options',
    [
        dict(out_size=(224, 224)),  # the paper configs
        dict(num_bins=64, scale='mel', pitch_reference=150),  # the tiny configs
        dict(num_bins=64, scale='mel'),
        dict(num_bins=48, scale='log'),
        dict(num_bins=64, scale='log', pitch_reference=150, normalize='clip'),
        dict(num_bins=128, normalize=None),
        dict(num_bins=64, scale='pitch', window_ms=64, pitch_reference=150),
        dict(num_bins=48, scale='pitch', normalize='clip'),
        dict(num_bins=64, scale='mel', pitch_reference=150, pitch_rows=64),
        dict(pitch_rows=32, out_size=(224, 224)),
    ],
)
def test_the_numpy_spectrogram_is_the_transforms(options, voice):
    """Segments inside the voice (a segment of digital silence normalises rounding
    error by the 1e-5 floor, in either)."""
    times = np.array([0.6, 1.4, 2.0, 2.9, 3.4])
    transform = SnippetLogSpectrogram(**options)
    expected = transform.transform(
        dict(audio=voice, audio_sample_rate=16000, snippet_times=times)
    )['audios']
    got = snippet_log_spectrogram(voice, times, transform.settings)
    assert got.shape == expected.shape and got.dtype == np.float32
    assert np.abs(got - expected).max() < 1e-4 * max(1.0, np.abs(expected).max())


def test_settings_refuse_what_the_transform_refuses():
    with pytest.raises(ValueError, match='pitch_reference needs'):
        SpectrogramSettings(pitch_reference=150)
    with pytest.raises(ValueError, match='exceeds the 257 bins'):
        SpectrogramSettings(num_bins=300)
    with pytest.raises(ValueError, match='lower f_max'):
        SpectrogramSettings(num_bins=64, scale='mel', f_max=6000.0, pitch_reference=150)
    with pytest.raises(ValueError, match='pitch_rows must be'):
        SpectrogramSettings(num_bins=64, scale='pitch', pitch_rows=8)
