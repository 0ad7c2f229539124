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
