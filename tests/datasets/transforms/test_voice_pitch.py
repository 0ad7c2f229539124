"""The clip's median pitch, and the spectrogram that hears a voice against its own level."""

import numpy as np
import pytest

from avemo_mm.audio import median_pitch
from avemo_mm.datasets.transforms import SnippetLogSpectrogram

RATE = 16000


def _voice(f0, seconds=3.0, glide=0.0, noise_db=None, seed=0):
    """A harmonic voice in syllables at ``f0`` Hz (gliding by ``glide`` semitones over
    the clip), with 1/f-ish noise at ``noise_db`` SNR: ``[S]`` float32."""
    rng = np.random.default_rng(seed)
    t = np.arange(int(seconds * RATE)) / RATE
    pitch = f0 * 2 ** (glide * (t / seconds - 0.5) / 12)
    phase = 2 * np.pi * np.cumsum(pitch) / RATE
    voice = sum(0.7 ** (k - 1) * np.sin(k * phase) / k for k in range(1, 10))
    voice *= np.clip(np.sin(2 * np.pi * 2 * t), 0, None) ** 2
    if noise_db is not None:
        noise = np.cumsum(rng.normal(0, 1, len(t)))
        noise -= np.convolve(noise, np.ones(400) / 400, 'same')  # no drift
        noise *= np.sqrt(np.mean(voice**2) / np.mean(noise**2) / 10 ** (noise_db / 10))
        voice = voice + noise
    return (0.3 * voice).astype(np.float32)


@pytest.mark.parametrize('f0', [85.0, 110.0, 180.0, 240.0, 400.0])
def test_median_pitch_finds_the_fundamental_not_its_octaves(f0):
    for noise_db in (None, 10.0):
        found = median_pitch(_voice(f0, noise_db=noise_db), RATE)
        assert abs(12 * np.log2(found / f0)) < 0.5, (f0, noise_db, found)


def test_median_pitch_of_silence_and_of_a_short_clip_is_none():
    assert median_pitch(np.zeros(RATE, np.float32), RATE) is None
    assert median_pitch(_voice(150.0)[:500], RATE) is None


@pytest.mark.parametrize('scale', ['mel', 'log'])
def test_pitch_reference_hears_a_low_and_a_high_voice_alike(scale):
    """The same gliding sentence spoken an octave apart: with ``pitch_reference`` the
    two images agree (the voice's level is taken out, its glide stays); without it,
    they differ. A rising and a falling glide stay further apart than the two voices
    (64 ms windows: at 32 ms a 110 Hz voice's harmonics blur into each other)."""
    times = np.array([0.75, 1.5, 2.25])

    def image(spec, f0, glide):
        audio = _voice(f0, glide=glide)
        return spec(dict(audio=audio, audio_sample_rate=RATE, snippet_times=times))['audios']

    def distance(a, b):
        return float(np.mean((a - b) ** 2))

    kwargs = dict(num_bins=64, scale=scale, window_ms=64)
    fixed = SnippetLogSpectrogram(f_max=3600.0, **kwargs)
    heard = SnippetLogSpectrogram(pitch_reference=150.0, **kwargs)
    low, high = 110.0, 220.0
    same_voice = distance(image(heard, low, 6), image(heard, high, 6))
    assert same_voice < 0.5 * distance(image(fixed, low, 6), image(fixed, high, 6))
    assert distance(image(heard, low, 6), image(heard, low, -6)) > 1.5 * same_voice
    assert 'pitch_reference=150.0' in repr(heard)
    silent = heard(
        dict(audio=np.zeros(3 * RATE, np.float32), audio_sample_rate=RATE, snippet_times=times)
    )
    assert np.isfinite(silent['audios']).all()  # no pitch found: the bands stay put
