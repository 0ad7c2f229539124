"""write_av_clip: H.264 (+ AAC) in mp4 and flv, written atomically."""

import os

import numpy as np
import pytest

from avemo_mm.utils import probe_media, write_av_clip


def _frames(count=10, size=32):
    return np.random.default_rng(0).integers(0, 255, (count, size, size, 3), dtype=np.uint8)


@pytest.mark.parametrize('ext', ['mp4', 'flv'])
def test_writes_video_and_audio_and_leaves_no_partial_file(tmp_path, ext):
    path = str(tmp_path / f'clip.{ext}')
    audio = 0.1 * np.sin(np.linspace(0, 400, 48000 // 3)).astype(np.float32)  # 1/3 s
    write_av_clip(path, _frames(), fps=30.0, audio=audio, sample_rate=48000)
    info = probe_media(path)
    assert (info.num_frames, info.width, info.height) == (10, 32, 32)
    assert info.has_audio and abs(info.audio_duration - 1 / 3) < 0.05
    assert os.listdir(tmp_path) == [f'clip.{ext}']


def test_frames_may_come_one_at_a_time(tmp_path):
    path = str(tmp_path / 'streamed.mp4')
    write_av_clip(path, iter(list(_frames(6))), fps=25.0)
    info = probe_media(path, decode_audio=False)
    assert info.num_frames == 6 and not info.has_audio


def test_the_same_frames_give_the_same_bytes_every_time(tmp_path):
    """x264's macroblock tree gave other bytes for the same frames now and then (about 1
    write in 7 of these, on one thread); without it every write is the same."""
    import hashlib

    steps = np.random.default_rng(0).integers(0, 255, (60, 64, 64, 3), dtype=np.uint8)
    frames = np.cumsum(steps, axis=0, dtype=np.uint8)  # every frame a change of the last
    digests = set()
    for attempt in range(30):
        path = str(tmp_path / f'clip_{attempt}.mp4')
        write_av_clip(path, frames, fps=30.0, crf=18)
        with open(path, 'rb') as fh:
            digests.add(hashlib.sha256(fh.read()).hexdigest())
    assert len(digests) == 1
