"""Media reading: probe, audio and frames decoded from real containers; clear errors."""

import numpy as np
import pytest

from avemo_mm.utils import (
    MediaError,
    iter_video_frames,
    probe_media,
    read_audio,
    write_av_clip,
    write_wav,
)


@pytest.fixture(scope='module')
def clip(tmp_path_factory):
    path = str(tmp_path_factory.mktemp('media') / 'clip.mp4')
    frames = np.zeros((15, 32, 48, 3), np.uint8)
    frames[..., 0] = 200  # red, to check the channel order
    tone = 0.5 * np.sin(2 * np.pi * 440 * np.arange(24000) / 48000).astype(np.float32)
    write_av_clip(path, frames, fps=30.0, audio=tone, sample_rate=48000)
    return path


def test_probe_counts_decoded_frames_and_the_audio(clip):
    info = probe_media(clip)
    assert (info.num_frames, info.width, info.height, info.fps) == (15, 48, 32, 30.0)
    assert info.duration == pytest.approx(0.5)
    assert info.has_audio and info.audio_duration == pytest.approx(0.5, abs=0.05)


def test_frames_are_rgb_in_order(clip):
    frames = list(iter_video_frames(clip))
    assert len(frames) == 15 and frames[0].shape == (32, 48, 3)
    red, green, blue = frames[0].reshape(-1, 3).mean(axis=0)
    assert red > 150 and green < 60 and blue < 60


def test_audio_is_mono_float_at_the_asked_rate(clip, tmp_path):
    audio = read_audio(clip, sample_rate=16000)
    assert audio.dtype == np.float32 and audio.ndim == 1
    assert len(audio) == pytest.approx(8000, abs=1100)  # AAC pads a frame of 1024
    wav = str(tmp_path / 'tone.wav')
    write_wav(wav, audio, 16000)
    np.testing.assert_allclose(read_audio(wav, 16000), audio, atol=1e-4)


def test_an_unreadable_file_names_itself(tmp_path):
    bad = tmp_path / 'garbage.mp4'
    bad.write_bytes(b'not a video at all' * 10)
    with pytest.raises(MediaError, match='garbage.mp4'):
        probe_media(str(bad))
    with pytest.raises(MediaError, match='garbage.mp4'):
        read_audio(str(bad))


@pytest.mark.parametrize('width,channels', [(1, 1), (2, 1), (2, 2), (4, 2)])
def test_a_pcm_wav_reads_as_ffmpeg_decodes_it(tmp_path, width, channels):
    """The wav fast path (no FFmpeg) gives PyAV's samples exactly; 8-bit goes to PyAV."""
    import wave

    from avemo_mm.utils.media import _decode_audio

    rng = np.random.default_rng(width * 10 + channels)
    dtype = {1: np.uint8, 2: '<i2', 4: '<i4'}[width]
    info = np.iinfo(np.dtype(dtype))
    samples = rng.integers(info.min, info.max, (1600, channels), endpoint=True).astype(dtype)
    path = str(tmp_path / f'pcm{width * 8}_{channels}ch.wav')
    with wave.open(path, 'wb') as writer:
        writer.setnchannels(channels)
        writer.setsampwidth(width)
        writer.setframerate(16000)
        writer.writeframes(samples.tobytes())
    chunks, rate = _decode_audio(path)
    np.testing.assert_array_equal(read_audio(path, 16000), np.concatenate(chunks))
    assert rate == 16000 and len(np.concatenate(chunks)) == 1600
