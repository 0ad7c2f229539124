"""A RAVDESS-named corpus of awkward and broken files, as real collections hold them.

Usable but unusual: silent audio, a long clip, an odd frame size, a grayscale video,
a variable frame rate. Unusable: zero length, truncated, corrupt, an audio-visual
name without an audio track. Short: fewer frames than the preparation asks for
(enough for one snippet). Each stage (preparation, training, the demo) is tested on
all of them.
"""

from __future__ import annotations

import os
import os.path as osp

import numpy as np

from avemo_mm.datasets.synthetic import SyntheticClip, render_clip
from avemo_mm.utils import write_av_clip

USABLE = ('silent', 'long', 'odd_size', 'gray', 'vfr')
BROKEN = ('zero_length', 'truncated', 'corrupt', 'no_audio')
SHORT = 'short'  # 6 frames: the preparation's minimum is 16, one snippet needs 4
NAMES = {  # kind -> RAVDESS name (audio-visual, actor 1)
    kind: f'01-01-{index % 8 + 1:02d}-01-{index // 8 + 1:02d}-01-01.mp4'
    for index, kind in enumerate((*USABLE, *BROKEN, SHORT))
}
LONG_SECONDS = 30.0
VFR_STEPS = (0.02, 0.05, 0.03)  # seconds between frames, in turn: about 30 fps on average


def write_awkward_corpus(root: str) -> dict[str, str]:
    """Write ``root/Actor_01/<name>.mp4`` for every kind, and a one-channel (``gray``
    pixel format, FFV1) ``root/gray_one_channel.mkv`` beside it; return kind -> path."""
    actor = osp.join(root, 'Actor_01')
    os.makedirs(actor, exist_ok=True)
    path = {kind: osp.join(actor, name) for kind, name in NAMES.items()}
    clip = SyntheticClip('', 1, 3, 1, 1, 1, 1)
    frames, audio = render_clip(clip, np.random.default_rng(0), size=(96, 72))
    fps, rate = 30.0, 48000

    write_av_clip(path['silent'], frames, fps, audio=np.zeros_like(audio))
    repeats = int(np.ceil(LONG_SECONDS * fps / len(frames)))
    long_frames = (frames[t % len(frames)] for t in range(int(LONG_SECONDS * fps)))
    write_av_clip(
        path['long'], long_frames, fps, audio=np.tile(audio, repeats)[: int(LONG_SECONDS * rate)]
    )
    odd, _ = render_clip(clip, np.random.default_rng(0), size=(161, 97))
    write_av_clip(path['odd_size'], odd, fps, audio=audio, pix_fmt='yuv444p')
    gray = frames.mean(axis=3, keepdims=True).astype(np.uint8).repeat(3, axis=3)
    write_av_clip(path['gray'], gray, fps, audio=audio)
    times = np.cumsum([0.0] + [VFR_STEPS[t % 3] for t in range(len(frames) - 1)])
    write_av_clip(path['vfr'], frames, fps, audio=audio, frame_times=times)
    write_av_clip(path[SHORT], frames[:6], fps, audio=audio[: rate * 3 // 2])

    with open(path['zero_length'], 'wb'):
        pass
    data = open(path['silent'], 'rb').read()
    with open(path['truncated'], 'wb') as fh:
        fh.write(data[: len(data) // 3])
    with open(path['corrupt'], 'wb') as fh:
        fh.write(np.random.default_rng(1).integers(0, 255, 5000, dtype=np.uint8).tobytes())
    write_av_clip(path['no_audio'], frames, fps)

    path['gray_one_channel'] = osp.join(root, 'gray_one_channel.mkv')
    write_av_clip(path['gray_one_channel'], gray, fps, audio=audio, pix_fmt='gray', codec='ffv1')
    return path
