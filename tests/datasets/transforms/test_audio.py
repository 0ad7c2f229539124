"""LoadAudio and SnippetLogSpectrogram on real encoded audio and on exact signals."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from avemo_mm.datasets.transforms import LoadAudio, SnippetLogSpectrogram
from avemo_mm.utils import MediaError, write_av_clip, write_wav


def test_paper_shape_and_bins():
    spec = SnippetLogSpectrogram(normalize=None)
    assert (spec.win, spec.hop, spec.frames) == (512, 160, 100)  # 32 ms, 10 ms, 1 s
    sr = 16000
    t = np.arange(4 * sr) / sr
    tone = 0.5 * np.sin(2 * np.pi * 1000 * t).astype(np.float32)  # 1 kHz = bin 32
    out = spec(dict(audio=tone, audio_sample_rate=sr, snippet_times=np.linspace(0.5, 3.5, 6)))[
        'audios'
    ]
    assert out.shape == (6, 1, 256, 100) and out.dtype == np.float32
    assert np.all(out[:, 0].mean(axis=2).argmax(axis=1) == 32)


def test_segments_are_centred_on_their_snippets_with_silence_padding():
    sr = 16000
    audio = np.zeros(3 * sr, np.float32)
    audio[int(2.0 * sr) : int(2.1 * sr)] = 0.8  # a click at 2.0-2.1 s
    spec = SnippetLogSpectrogram(normalize=None)
    times = np.array([0.2, 2.05, 2.9])
    segments = spec.cut_segments(audio, times)
    assert segments.shape == (3, spec.segment_samples)
    centre = spec.segment_samples // 2
    assert segments[1, centre] == pytest.approx(0.8)  # the click is at segment 1's centre
    assert np.all(segments[0, : centre - int(0.2 * sr) - 1] == 0)  # before the start: silence
    out = spec(dict(audio=audio, audio_sample_rate=sr, snippet_times=times))['audios']
    energy = out[1, 0].mean(axis=0)  # [100] frames
    assert 40 <= energy.argmax() <= 60  # the click sits mid-segment


def test_normalisation_and_resize_and_silence():
    spec = SnippetLogSpectrogram(out_size=(32, 24))
    rng = np.random.default_rng(0)
    out = spec(
        dict(
            audio=rng.normal(0, 0.1, 32000).astype(np.float32),
            audio_sample_rate=16000,
            snippet_times=np.array([0.5, 1.0, 1.5]),
        )
    )['audios']
    assert out.shape == (3, 1, 32, 24)
    silent = spec(
        dict(
            audio=np.zeros(16000, np.float32),
            audio_sample_rate=16000,
            snippet_times=np.array([0.5]),
        )
    )['audios']
    assert np.isfinite(silent).all()
    raw = SnippetLogSpectrogram()(
        dict(
            audio=rng.normal(0, 0.1, 32000).astype(np.float32),
            audio_sample_rate=16000,
            snippet_times=np.array([1.0]),
        )
    )
    seg = raw['audios'][0, 0]
    assert abs(seg.mean()) < 1e-4 and seg.std() == pytest.approx(1.0, abs=1e-3)


def test_load_audio_from_container_and_wav_resamples(tmp_path):
    sr = 48000
    t = np.arange(int(1.5 * sr)) / sr
    tone = (0.4 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)
    frames = np.zeros((45, 16, 16, 3), np.uint8)
    write_av_clip(str(tmp_path / 'a.mp4'), frames, fps=30, audio=tone, sample_rate=sr)
    write_wav(str(tmp_path / 'a.wav'), tone, sr)
    for name in ('a.mp4', 'a.wav'):
        out = LoadAudio()(dict(audio_path=str(tmp_path / name)))
        assert out['audio_sample_rate'] == 16000
        assert abs(len(out['audio']) / 16000 - 1.5) < 0.1
        spectrum = np.abs(np.fft.rfft(out['audio']))
        assert abs(np.argmax(spectrum) * 16000 / len(out['audio']) - 440) < 5


def test_clip_without_audio_is_a_clear_error(tmp_path):
    write_av_clip(str(tmp_path / 'silent.mp4'), np.zeros((8, 16, 16, 3), np.uint8))
    with pytest.raises(MediaError, match='silent.mp4: no audio stream'):
        LoadAudio()(dict(audio_path=str(tmp_path / 'silent.mp4')))
    with pytest.raises(MediaError, match='v.mp4: the clip has no audio'):
        LoadAudio()(dict(audio_path=None, filename='v.mp4'))


def test_missing_audio_as_silence_lasts_as_long_as_the_video():
    out = LoadAudio(missing='silence')(dict(audio_path=None, total_frames=45, avg_fps=30.0))
    assert out['audio_missing'] and out['audio'].shape == (24000,) and not out['audio'].any()
    with pytest.raises(ValueError, match="'error' or 'silence'"):
        LoadAudio(missing='zeros')


@given(
    audio_seconds=st.floats(0.0, 6.0),
    times=st.lists(st.floats(0.0, 8.0), min_size=1, max_size=8),
)
@settings(deadline=None, max_examples=60)
def test_segments_hold_exactly_the_audio_around_their_centres(audio_seconds, times):
    """Any audio length and any centre (also past the audio's end, as when the audio
    track is shorter than the video): sample j of segment i is the audio at
    round(t_i * sr) - L // 2 + j, or silence outside the audio."""
    spec = SnippetLogSpectrogram(normalize=None)
    num = int(audio_seconds * spec.sample_rate)
    ramp = np.arange(1, num + 1, dtype=np.float32)  # sample s holds s + 1
    segments = spec.cut_segments(ramp, np.array(times))
    length = spec.segment_samples
    assert segments.shape == (len(times), length)
    for segment, t in zip(segments, times, strict=True):
        position = round(t * spec.sample_rate) - length // 2 + np.arange(length)
        expected = np.where((position >= 0) & (position < num), position + 1, 0)
        np.testing.assert_array_equal(segment, expected)


def test_mel_scale_covers_the_whole_band_in_few_rows():
    """64 linear bins stop at 2 kHz; 64 mel bands reach 8 kHz, finest at the low end."""
    sr = 16000
    t = np.arange(2 * sr) / sr
    peaks = {}
    for freq in (200, 440, 3000):
        tone = np.sin(2 * np.pi * freq * t).astype(np.float32)
        results = dict(audio=tone, audio_sample_rate=sr, snippet_times=np.array([1.0]))
        mel = SnippetLogSpectrogram(num_bins=64, scale='mel', normalize=None)(dict(results))
        linear = SnippetLogSpectrogram(num_bins=64, normalize=None)(dict(results))
        assert mel['audios'].shape == linear['audios'].shape == (1, 1, 64, 100)
        peaks[freq] = int(mel['audios'][0, 0].mean(axis=1).argmax())
        if freq == 3000:  # above the 64 linear bins: only their leakage floor
            assert linear['audios'].max() < np.log(1.0)
    assert peaks[200] < peaks[440] < peaks[3000] < 64
    assert peaks[440] - peaks[200] >= 4  # low frequencies keep their resolution
    with pytest.raises(ValueError, match='scale must be one of'):
        SnippetLogSpectrogram(scale='bark')


def test_log_scale_moves_every_harmonic_by_the_same_rows():
    """On the log scale an octave is the same number of rows at any pitch, and no
    band is empty where its bands are narrower than the STFT's bins."""
    sr = 16000
    t = np.arange(2 * sr) / sr
    spec = SnippetLogSpectrogram(num_bins=96, scale='log', f_min=60, f_max=6000, normalize=None)
    assert (spec.filterbank.sum(dim=0) > 0).all()
    per_octave = 95 / np.log2(6000 / 60)
    peaks = {}
    for freq in (100, 200, 400, 1600):
        tone = np.sin(2 * np.pi * freq * t).astype(np.float32)
        out = spec(dict(audio=tone, audio_sample_rate=sr, snippet_times=np.array([1.0])))
        peaks[freq] = int(out['audios'][0, 0].mean(axis=1).argmax())
    for low, high in ((100, 200), (200, 400), (400, 1600)):
        octaves = np.log2(high / low)
        assert abs(peaks[high] - peaks[low] - octaves * per_octave) <= 1.5
    with pytest.raises(ValueError, match='exceed 8000 Hz'):
        SnippetLogSpectrogram(scale='log', f_max=9000)
    with pytest.raises(ValueError, match="needs scale='mel', 'log' or 'pitch'"):
        SnippetLogSpectrogram(pitch_reference=150)


@pytest.mark.parametrize('f0', [110.0, 220.0])
def test_pitch_image_follows_the_voice_against_its_own_level_in_noise(f0):
    """The 'pitch' scale draws the voice's pitch as one line: a voice gliding up 4
    semitones through its median, in pink-ish noise at 5 dB SNR, is a line that climbs
    4 semitones' rows through the middle row, for a low and a high voice alike; the
    brightest row is the pitch and not its octave or its first harmonic."""
    sr, seconds = 16000, 3.0
    rng = np.random.default_rng(0)
    t = np.arange(int(seconds * sr)) / sr
    semitones = 4 * (t / seconds - 0.5)  # -2 .. +2 around the median
    phase = 2 * np.pi * np.cumsum(f0 * 2 ** (semitones / 12)) / sr
    voice = sum(0.8**k * np.sin((k + 1) * phase) for k in range(10))
    noise = np.cumsum(rng.normal(0, 1, len(t)))  # a red, low-heavy noise
    noise -= np.convolve(noise, np.ones(400) / 400, mode='same')
    noise *= np.sqrt(np.mean(voice**2) / np.mean(noise**2) / 10**0.5)
    audio = (0.1 * (voice + noise)).astype(np.float32)
    spec = SnippetLogSpectrogram(num_bins=64, scale='pitch', window_ms=64, pitch_reference=150)
    # 64 candidates over +-8 semitones: 63 / 16 rows a semitone
    rows_per_semitone = 63 / 16
    times = np.array([0.75, 1.5, 2.25])
    image = spec(dict(audio=audio, audio_sample_rate=sr, snippet_times=times))['audios']
    assert image.shape == (3, 1, 64, 100)
    tracks = image[:, 0].argmax(axis=1)  # [3, 100] brightest row per frame
    middle = float(np.median(tracks[1]))
    assert abs(middle - 31.5) <= 2  # the median pitch sits at the reference's row
    for track in tracks:  # within each segment the line climbs (1 s: 4/3 semitones)
        climb = np.median(track[-20:]) - np.median(track[:20])
        assert 0.5 * rows_per_semitone < climb < 2.5 * rows_per_semitone
    total = np.median(tracks[2]) - np.median(tracks[0])  # 1.5 s apart: 2 semitones
    assert abs(total - 2 * rows_per_semitone) <= 2
    with pytest.raises(ValueError, match='lower f_max'):  # its 8th harmonic too high
        SnippetLogSpectrogram(scale='pitch', f_max=1100)


def test_pitch_rows_stack_the_pitch_image_under_the_spectrogram():
    """``pitch_rows`` = the spectrogram's rows, then the pitch image's, each normalised on
    its own: the two parts are the transforms that make each alone."""
    rng = np.random.default_rng(0)
    t = np.arange(3 * 16000) / 16000
    voice = sum(0.7**k * np.sin((k + 1) * 2 * np.pi * 180 * t) for k in range(6))
    audio = (0.1 * voice + 0.01 * rng.normal(0, 1, len(t))).astype(np.float32)
    results = dict(audio=audio, audio_sample_rate=16000, snippet_times=np.array([1.0, 2.0]))
    spectrum = dict(num_bins=64, scale='mel', pitch_reference=150)
    both = SnippetLogSpectrogram(**spectrum, pitch_rows=48)(dict(results))['audios']
    alone = SnippetLogSpectrogram(**spectrum)(dict(results))['audios']
    pitch = SnippetLogSpectrogram(num_bins=48, scale='pitch', window_ms=64, pitch_reference=150)
    assert both.shape == (2, 1, 112, 100)
    np.testing.assert_allclose(both[:, :, :64], alone, atol=1e-6)
    np.testing.assert_allclose(both[:, :, 64:], pitch(dict(results))['audios'], atol=1e-5)
