"""Small synthetic corpora in the exact RAVDESS and CREMA-D layouts, for demos and tests.

RAVDESS: ``OUT/Actor_XX/MM-VV-EE-II-SS-RR-AA.mp4``, H.264 video of a drawn face with a
48 kHz AAC track of a voice-like sound, as the real corpus's audio-visual speech files.
CREMA-D: ``OUT/VideoFlash/<id>.flv`` (H.264 + AAC in FLV), ``OUT/AudioWAV/<id>.wav``
(16 kHz) and ``OUT/processedResults/summaryTable.csv`` with perceived votes (the
CREMA-D names and votes: :mod:`avemo_mm.datasets.synthetic_cremad`).

Each modality carries part of the label, so that fusion beats either alone. The 8
emotions fall into 4 visual groups (the facial expression) and 4 audio groups (the
voice's pitch, loudness and syllable rate); every emotion has its own (visual,
audio) pair, but within a visual group the face alone cannot tell its two emotions
apart, and within an audio group the voice alone cannot. With ideal per-group
recognition a visual-only or audio-only model tops out near 50% on 8 classes and
an audio-visual one near 100%; noise and jitter keep every group from being
trivial.
"""

from __future__ import annotations

import os
import os.path as osp
from dataclasses import dataclass

import cv2
import numpy as np

from ..utils.av_writer import write_av_clip
from ..utils.media import write_wav
from .emotions import RAVDESS_CLASSES

# emotion index (RAVDESS code - 1) -> group; each (visual, audio) pair is unique
VISUAL_GROUP = (
    0,
    0,
    1,
    2,
    3,
    2,
    3,
    1,
)  # {neutral,calm} {happy,surprised} {sad,fear} {angry,disgust}
AUDIO_GROUP = (
    0,
    1,
    2,
    1,
    0,
    2,
    3,
    3,
)  # {neutral,angry} {calm,sad} {happy,fear} {disgust,surprised}
# visual group -> (smile, brow, eye openness, mouth openness)
_FACE = (
    (0.0, 0.0, 0.8, 0.1),
    (1.0, 0.7, 1.0, 0.6),
    (-0.9, -0.2, 0.6, 0.2),
    (-0.4, -1.0, 0.5, 0.5),
)
# audio group -> (f0 in Hz, loudness, syllables per second, harmonic brightness)
_VOICE = (
    (110.0, 0.25, 3.0, 0.5),
    (165.0, 0.35, 4.0, 0.7),
    (240.0, 0.45, 5.5, 0.6),
    (135.0, 0.6, 6.5, 0.9),
)


@dataclass
class SyntheticClip:
    """One clip to write: its RAVDESS fields and where it goes."""

    path: str
    modality: int  # 1 audio-visual, 2 video-only
    emotion: int  # 1..8
    intensity: int  # 1, 2
    statement: int
    repetition: int
    actor: int


def ravdess_file_name(modality, vocal_channel, emotion, intensity, statement, repetition, actor):
    """``MM-VV-EE-II-SS-RR-AA.mp4`` from the seven fields."""
    fields = (modality, vocal_channel, emotion, intensity, statement, repetition, actor)
    return '-'.join(f'{int(v):02d}' for v in fields) + '.mp4'


def plan_corpus(
    out_dir: str,
    num_actors: int = 4,
    statements: tuple[int, ...] = (1, 2),
    repetitions: tuple[int, ...] = (1,),
    video_only: bool = False,
) -> list[SyntheticClip]:
    """The clips of the corpus, in the official combinations.

    Neutral has only normal intensity, as in RAVDESS.
    """
    clips = []
    modalities = (1, 2) if video_only else (1,)
    for actor in range(1, num_actors + 1):
        for emotion in range(1, 9):
            for intensity in (1,) if emotion == 1 else (1, 2):
                for statement in statements:
                    for repetition in repetitions:
                        for modality in modalities:
                            name = ravdess_file_name(
                                modality, 1, emotion, intensity, statement, repetition, actor
                            )
                            path = osp.join(out_dir, f'Actor_{actor:02d}', name)
                            clips.append(
                                SyntheticClip(
                                    path,
                                    modality,
                                    emotion,
                                    intensity,
                                    statement,
                                    repetition,
                                    actor,
                                )
                            )
    return clips


def draw_face(
    height: int,
    width: int,
    center: tuple[int, int],
    scale: float,
    smile: float,
    brow: float,
    eye_open: float,
    mouth_open: float,
    skin: tuple[int, int, int],
    noise: np.ndarray,
) -> np.ndarray:
    """One RGB frame ``[Y, X, 3]`` uint8 of a drawn frontal face on a noisy background.

    ``smile`` > 0 lifts the mouth corners, ``brow`` > 0 raises the eyebrows and < 0
    furrows them; ``eye_open`` and ``mouth_open`` are in [0, 1].
    """
    cx, cy = center
    ramp = np.linspace(70, 110, width, dtype=np.float32)[None, :, None]
    img = np.clip(ramp + noise, 0, 255).astype(np.uint8).repeat(3, axis=2)
    s = lambda v: max(1, int(round(v * scale)))  # noqa: E731  (pixels at this face scale)
    cv2.ellipse(img, (cx, cy), (s(38), s(50)), 0, 0, 360, skin, -1)
    cv2.ellipse(img, (cx, cy - s(30)), (s(40), s(24)), 0, 180, 360, (60, 40, 30), -1)  # hair
    eye_y, eye_dx = cy - s(12), s(15)
    for side in (-1, 1):
        eye = (cx + side * eye_dx, eye_y)
        cv2.ellipse(img, eye, (s(8), s(5 * eye_open)), 0, 0, 360, (240, 240, 240), -1)
        cv2.circle(img, eye, s(3), (40, 30, 20), -1)
        brow_y = eye_y - s(11) - int(4 * scale * brow)
        inner = (cx + side * s(6), brow_y + int(4 * scale * max(0.0, -brow)))
        cv2.line(img, inner, (cx + side * s(24), brow_y), (50, 35, 25), s(3))
    cv2.line(img, (cx, eye_y + s(4)), (cx - s(3), cy + s(10)), (170, 130, 115), s(2))  # nose
    mouth_y, half = cy + s(26), s(16)
    xs = np.linspace(-1.0, 1.0, 21)
    curve = smile * 6 * scale * (xs**2 - 0.5)
    top = np.stack([cx + xs * half, mouth_y - curve], 1).astype(np.int32)
    if mouth_open > 0.05:
        lower = mouth_y + mouth_open * 8 * scale * (1 - xs**2) - curve
        bottom = np.stack([cx + xs * half * 0.8, lower], 1).astype(np.int32)
        cv2.fillPoly(img, [np.concatenate([top, bottom[::-1]])], (90, 20, 20))
    cv2.polylines(img, [top], False, (120, 40, 40), s(3))
    return img


def render_clip(
    clip: SyntheticClip,
    rng: np.random.Generator,
    size: tuple[int, int] = (160, 120),
    fps: float = 30.0,
    sample_rate: int = 48000,
) -> tuple[np.ndarray, np.ndarray]:
    """Frames ``[V, Y, X, 3]`` uint8 and mono audio ``[S]`` float32 of one clip."""
    width, height = size
    label = clip.emotion - 1
    strength = 1.0 if clip.intensity == 1 else 1.35
    duration = rng.uniform(3.2, 4.0)
    num_frames = int(round(duration * fps))

    # face: group expression + per-clip noise; actor sets skin and size
    actor_rng = np.random.default_rng(1000 + clip.actor)
    skin = tuple(int(v) for v in actor_rng.integers(140, 220, 3))
    scale = height / 120 * actor_rng.uniform(0.85, 1.0)
    params = np.array(_FACE[VISUAL_GROUP[label]]) * [strength, strength, 1, strength]
    params = params + rng.normal(0, [0.3, 0.3, 0.12, 0.15])
    smile, brow, eye_open, mouth_open = params
    eye_open, mouth_open = np.clip(eye_open, 0.2, 1.0), np.clip(mouth_open, 0.0, 1.0)
    base = np.array([width / 2, height / 2]) + rng.normal(0, [width * 0.05, height * 0.03])
    drift = rng.normal(0, 0.6, (num_frames, 2)).cumsum(axis=0) * 0.3
    frames = np.empty((num_frames, height, width, 3), np.uint8)
    # one noise field per clip, seen through a window that moves every frame: the
    # same sensor-like noise at a fraction of the cost of fresh noise at 720p
    field = rng.normal(0, 6, (height + 16, width + 16, 1)).astype(np.float32)
    shifts = rng.integers(0, 17, (num_frames, 2))
    for t in range(num_frames):
        talking = 0.5 + 0.5 * np.sin(2 * np.pi * 4.0 * t / fps)  # the mouth moves as it speaks
        cx, cy = (base + drift[t]).astype(int)
        dy, dx = shifts[t]
        noise = field[dy : dy + height, dx : dx + width]
        frames[t] = draw_face(
            height,
            width,
            (int(cx), int(cy)),
            scale,
            smile,
            brow,
            eye_open,
            float(np.clip(mouth_open * (0.6 + 0.4 * talking), 0, 1)),
            skin,
            noise,
        )

    # voice: harmonic source at f0 with vibrato, syllable envelope, noise floor
    f0, loudness, rate, brightness = _VOICE[AUDIO_GROUP[label]]
    f0 *= actor_rng.uniform(0.9, 1.1) * rng.uniform(0.92, 1.08)
    loudness *= rng.uniform(0.8, 1.2) * (1.0 if clip.intensity == 1 else 1.25)
    rate *= rng.uniform(0.85, 1.15)
    t_audio = np.arange(int(duration * sample_rate)) / sample_rate
    pitch = f0 * (1 + 0.03 * np.sin(2 * np.pi * 5 * t_audio) + 0.05 * rng.normal(0, 1))
    phase = 2 * np.pi * np.cumsum(pitch) / sample_rate
    voice = sum(brightness ** (k - 1) * np.sin(k * phase) / k for k in range(1, 8))
    envelope = np.clip(np.sin(np.pi * rate * t_audio + rng.uniform(0, np.pi)), 0, None) ** 2
    envelope *= (t_audio > 0.3) & (t_audio < duration - 0.3)  # silence around the sentence
    audio = loudness * 0.5 * voice * envelope + rng.normal(0, 0.01, t_audio.shape)
    return frames, audio.astype(np.float32)


def write_clip(clip: SyntheticClip, seed: int, size=(160, 120), fps=30.0) -> str:
    """Render and write one clip (its own seed: the result does not depend on order).

    A ``.flv`` path gets the CREMA-D treatment: the FLV keeps its own AAC track and
    a 16 kHz wav sidecar goes to ``../AudioWAV/<id>.wav``.
    """
    rng = np.random.default_rng(
        [seed, clip.actor, clip.emotion, clip.intensity, clip.statement, clip.repetition]
    )
    frames, audio = render_clip(clip, rng, size=size, fps=fps)
    write_av_clip(clip.path, frames, fps=fps, audio=audio if clip.modality == 1 else None)
    if clip.path.endswith('.flv'):
        wav_dir = osp.join(osp.dirname(osp.dirname(clip.path)), 'AudioWAV')
        os.makedirs(wav_dir, exist_ok=True)
        stem = osp.splitext(osp.basename(clip.path))[0]
        write_wav(osp.join(wav_dir, stem + '.wav'), audio[::3], 16000)  # 48 kHz -> 16 kHz
    return clip.path


__all__ = [
    'AUDIO_GROUP',
    'RAVDESS_CLASSES',
    'VISUAL_GROUP',
    'SyntheticClip',
    'draw_face',
    'plan_corpus',
    'ravdess_file_name',
    'render_clip',
    'write_clip',
]
