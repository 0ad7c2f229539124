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

By default each clip shows its emotion from the first frame to the last. With
``episode=True`` it shows it only in one window of 1.4-1.8 s, at a random time,
the same in both modalities (the face and the voice change together, as in speech);
before and after it the face is at rest (the neutral expression) and the voice is
quiet. Then which snippets matter varies from clip to clip and is told by both
modalities: the case the cross-modal attention is meant for.
"""

from __future__ import annotations

import os
import os.path as osp
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ..utils.av_writer import write_av_clip
from ..utils.media import write_wav
from .emotions import RAVDESS_CLASSES
from .synthetic_face import draw_face

if TYPE_CHECKING:  # the realistic mode builds on this module
    from .synthetic_realistic import RecordingConditions

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
_REST_VOICE = (150.0, 0.12, 3.5, 0.55)  # outside an episode: soft, mid pitch
EPISODE_SECONDS = (1.4, 1.8)  # the emotion's window, when the clip has one


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


def episode_weight(t: np.ndarray, start: float, length: float, ramp: float = 0.15) -> np.ndarray:
    """How much of the emotion shows at times ``t`` (s): 1 inside the episode
    ``[start, start + length]``, 0 outside, raised-cosine ramps of ``ramp`` s."""
    rise = np.clip((t - start) / ramp, 0, 1) * np.clip((start + length - t) / ramp, 0, 1)
    return 0.5 - 0.5 * np.cos(np.pi * rise)


def _blend(rest, value, weight):
    """``value`` where the emotion shows fully, ``rest`` where it does not."""
    return value if weight is None else rest + weight * (np.asarray(value) - rest)


def render_clip(
    clip: SyntheticClip,
    rng: np.random.Generator,
    size: tuple[int, int] = (160, 120),
    fps: float = 30.0,
    sample_rate: int = 48000,
    episode: bool = False,
) -> tuple[np.ndarray, np.ndarray]:
    """Frames ``[V, Y, X, 3]`` uint8 and mono audio ``[S]`` float32 of one clip.

    ``episode``: the emotion shows in one window only (module docstring).
    """
    width, height = size
    label = clip.emotion - 1
    strength = 1.0 if clip.intensity == 1 else 1.35
    duration = rng.uniform(3.2, 4.0)
    num_frames = int(round(duration * fps))
    window = None  # the episode's (start, length) in s; None: the whole clip
    if episode:
        length = rng.uniform(*EPISODE_SECONDS)
        window = (rng.uniform(0.3, duration - 0.3 - length), length)

    # face: group expression + per-clip noise; actor sets skin and size
    actor_rng = np.random.default_rng(1000 + clip.actor)
    skin = tuple(int(v) for v in actor_rng.integers(140, 220, 3))
    scale = height / 120 * actor_rng.uniform(0.85, 1.0)
    params = np.array(_FACE[VISUAL_GROUP[label]]) * [strength, strength, 1, strength]
    params = params + rng.normal(0, [0.3, 0.3, 0.12, 0.15])
    frame_times = np.arange(num_frames) / fps
    expression = _blend(
        np.array(_FACE[0]), params, window and episode_weight(frame_times[:, None], *window)
    )
    expression = np.broadcast_to(expression, (num_frames, 4))  # [V, 4]
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
        smile, brow, eye_open, mouth_open = expression[t]
        eye_open, mouth_open = np.clip(eye_open, 0.2, 1.0), np.clip(mouth_open, 0.0, 1.0)
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
    actor_pitch = actor_rng.uniform(0.9, 1.1)
    f0 *= actor_pitch * rng.uniform(0.92, 1.08)
    loudness *= rng.uniform(0.8, 1.2) * (1.0 if clip.intensity == 1 else 1.25)
    rate *= rng.uniform(0.85, 1.15)
    t_audio = np.arange(int(duration * sample_rate)) / sample_rate
    weight = window and episode_weight(t_audio, *window)
    rest_f0, rest_loudness, rest_rate, rest_brightness = _REST_VOICE
    f0 = _blend(rest_f0 * actor_pitch, f0, weight)
    loudness = _blend(rest_loudness, loudness, weight)
    rate = _blend(rest_rate, rate, weight)
    brightness = _blend(rest_brightness, brightness, weight)
    pitch = f0 * (1 + 0.03 * np.sin(2 * np.pi * 5 * t_audio) + 0.05 * rng.normal(0, 1))
    phase = 2 * np.pi * np.cumsum(pitch) / sample_rate
    voice = sum(brightness ** (k - 1) * np.sin(k * phase) / k for k in range(1, 8))
    if window is None:
        syllables = np.pi * rate * t_audio
    else:  # the rate changes: the syllables' phase is its running sum
        syllables = np.pi * np.cumsum(rate) / sample_rate
    envelope = np.clip(np.sin(syllables + rng.uniform(0, np.pi)), 0, None) ** 2
    envelope *= (t_audio > 0.3) & (t_audio < duration - 0.3)  # silence around the sentence
    audio = loudness * 0.5 * voice * envelope + rng.normal(0, 0.01, t_audio.shape)
    return frames, audio.astype(np.float32)


def clip_rng(clip: SyntheticClip, seed: int) -> np.random.Generator:
    """The clip's own random generator: its draws do not depend on the order of clips."""
    return np.random.default_rng(
        [seed, clip.actor, clip.emotion, clip.intensity, clip.statement, clip.repetition]
    )


def write_clip(
    clip: SyntheticClip,
    seed: int,
    size=(160, 120),
    fps=30.0,
    episode: bool = False,
    conditions: RecordingConditions | None = None,
) -> str:
    """Render and write one clip (its own seed: the result does not depend on order).

    ``conditions`` (a :class:`RecordingConditions`) renders it in the realistic mode
    (:mod:`avemo_mm.datasets.synthetic_realistic`; always with an episode). A ``.flv``
    path gets the CREMA-D treatment: the FLV keeps its own AAC track and a 16 kHz wav
    sidecar goes to ``../AudioWAV/<id>.wav``.
    """
    rng = clip_rng(clip, seed)
    if conditions is None:
        frames, audio = render_clip(clip, rng, size=size, fps=fps, episode=episode)
    else:
        from .synthetic_realistic import render_realistic_clip  # it builds on this module

        frames, audio, _ = render_realistic_clip(clip, rng, size, fps, conditions=conditions)
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
    'clip_rng',
    'draw_face',
    'episode_weight',
    'plan_corpus',
    'ravdess_file_name',
    'render_clip',
    'write_clip',
]
