"""The realistic mode of the synthetic corpora: the same labels under recording conditions.

The clean corpus (:mod:`avemo_mm.datasets.synthetic`) is clean where real recordings are
not: each voice group has its own absolute pitch, loudness and rate, and every face is
drawn at one scale, under one light, on a plain background. This mode keeps its split of
the label (``VISUAL_GROUP`` and ``AUDIO_GROUP``: 4 groups a modality, only both together
tell the 8 emotions apart) and draws every clip as a recording would show it.

Voice:

- Each actor is a speaker with a voice of their own, the same in all their clips: the
  sex by the RAVDESS convention (odd ids male, even female; CREMA-D layouts get a
  ``VideoDemographics.csv`` that says so), a base pitch of 100-140 Hz (male) or
  170-240 Hz (female), a speaking rate, a loudness and a timbre. Speakers differ more
  than emotions do.
- The emotion's cue is relative to the speaker: over the episode the pitch follows a
  contour (flat, falling, rising or rising-falling) over a range in semitones, and the
  rate and loudness change by factors of the speaker's own. Outside the episode the
  speaker talks in their neutral voice, with a slight declination.
- Pink background noise at an SNR drawn per clip and room reverberation (an
  exponentially decaying impulse response with an RT60 drawn per clip).

Face:

- Each actor is a person whose look is the same in all their clips: skin, hair, face
  shape, and a cluttered background scene of their own.
- Each clip is filmed from its own distance (faces from 0.45 to 1.1 times the clean
  corpus's size) and position, with drift; the light changes within the clip (an
  overall gain and a side light, both moving); the expression shows in the episode at a
  strength of 0.4-1.0, and the mouth opens with the voice's syllables.
"""

from __future__ import annotations

import os
import os.path as osp
from dataclasses import dataclass

import cv2
import numpy as np
from scipy.signal import fftconvolve

from .synthetic import _FACE, AUDIO_GROUP, VISUAL_GROUP, SyntheticClip, episode_weight
from .synthetic_face import draw_face
from .transforms.audio_augment import pink_from_white


@dataclass(frozen=True)
class RecordingConditions:
    """The ranges each realistic clip's recording conditions are drawn from.

    Attributes:
        snr_db (tuple[float, float]): Speech to background-noise ratio in dB.
            Defaults to ``(8.0, 20.0)``.
        rt60 (tuple[float, float]): Room reverberation time in seconds (0: a dry
            room). Defaults to ``(0.15, 0.5)``.
        face_scale (tuple[float, float]): Face size against the clean corpus's.
            Defaults to ``(0.45, 1.1)``.
        strength (tuple[float, float]): How strongly the expression and the voice's
            cue show (1.0: as in the clean corpus; the strong intensity draws from the
            upper half). Defaults to ``(0.4, 1.0)``.
    """

    snr_db: tuple[float, float] = (8.0, 20.0)
    rt60: tuple[float, float] = (0.15, 0.5)
    face_scale: tuple[float, float] = (0.45, 1.1)
    strength: tuple[float, float] = (0.4, 1.0)

    def __post_init__(self) -> None:
        for name, floor in (
            ('snr_db', None),
            ('rt60', 0.0),
            ('face_scale', 0.1),
            ('strength', 0.0),
        ):
            low, high = getattr(self, name)
            if low > high or (floor is not None and low < floor):
                bound = '' if floor is None else f' and MIN >= {floor}'
                raise ValueError(
                    f'{name} must be (MIN, MAX) with MIN <= MAX{bound}, got {(low, high)}'
                )


# audio group -> (pitch contour over the episode, its range in semitones, rate factor,
# loudness factor), all relative to the speaker
VOICE_CUES = (
    ('flat', 1.0, 0.85, 0.8),  # {neutral, angry}
    ('falling', 6.0, 0.9, 1.0),  # {calm, sad}
    ('rising', 6.0, 1.15, 1.1),  # {happy, fearful}
    ('rise-fall', 8.0, 1.3, 1.3),  # {disgust, surprised}
)
PITCH_RANGES = {'male': (100.0, 140.0), 'female': (170.0, 240.0)}  # the speaker's base f0
EPISODE_SECONDS = (1.4, 2.0)


def speaker_sex(actor: int) -> str:
    """The RAVDESS convention, used for both layouts: odd ids male, even ids female."""
    return 'male' if actor % 2 else 'female'


def contour(name: str, progress: np.ndarray) -> np.ndarray:
    """A pitch contour in units of its range, at ``progress`` through the episode (0-1)."""
    shapes = {
        'flat': lambda p: 0.0 * p,
        'falling': lambda p: 0.5 - p,
        'rising': lambda p: p - 0.5,
        'rise-fall': lambda p: np.sin(np.pi * p) - 0.5,
    }
    return shapes[name](progress)


@dataclass
class _Speaker:
    """An actor's voice and look, the same in all their clips."""

    sex: str
    f0: float  # Hz
    rate: float  # syllables per second
    loudness: float
    brightness: float  # harmonic roll-off
    skin: tuple[int, int, int]
    hair: tuple[int, int, int]
    shape: tuple[float, float]
    scene_seed: int


def actor_speaker(actor: int) -> _Speaker:
    """The actor's voice and look, drawn from the actor id alone (the same in every clip)."""
    rng = np.random.default_rng([2000, actor])
    sex = speaker_sex(actor)
    tone = rng.uniform(0.25, 1.0)  # dark to light skin
    skin = tuple(int(v) for v in np.array([225, 185, 160]) * tone + rng.integers(0, 25, 3))
    return _Speaker(
        sex=sex,
        f0=rng.uniform(*PITCH_RANGES[sex]),
        rate=rng.uniform(3.0, 5.0),
        loudness=rng.uniform(0.25, 0.5),
        brightness=rng.uniform(0.45, 0.8),
        skin=skin,
        hair=tuple(int(v) for v in rng.integers(10, 150, 3)),
        shape=(rng.uniform(0.85, 1.1), rng.uniform(0.9, 1.15)),
        scene_seed=int(rng.integers(2**31)),
    )


def _scene(seed: int, width: int, height: int) -> np.ndarray:
    """An actor's cluttered background ``[Y, X, 3]`` float32: a wall and shapes."""
    rng = np.random.default_rng(seed)
    wall = rng.uniform(40, 200, 3).astype(np.float32)
    ramp = np.linspace(0.8, 1.2, width, dtype=np.float32)[None, :, None]
    img = np.ascontiguousarray(np.broadcast_to(wall * ramp, (height, width, 3)))
    for _ in range(int(rng.integers(10, 25))):
        color = tuple(float(v) for v in rng.uniform(0, 255, 3))
        x, y = int(rng.integers(0, width)), int(rng.integers(0, height))
        w, h = (int(v) for v in rng.integers(4, max(5, width // 3), 2))
        kind = rng.integers(3)
        if kind == 0:
            cv2.rectangle(img, (x, y), (x + w, y + h), color, -1)
        elif kind == 1:
            cv2.ellipse(img, (x, y), (w // 2, h // 2), 0, 0, 360, color, -1)
        else:
            cv2.line(img, (x, y), (x + w, y + h), color, max(1, w // 8))
    return img


def _pink_noise(rng: np.random.Generator, length: int) -> np.ndarray:
    """Noise with a 1/f power spectrum, unit RMS."""
    noise = pink_from_white(rng.normal(0, 1, length))
    return noise / (noise.std() + 1e-12)


def _reverberate(
    rng: np.random.Generator, audio: np.ndarray, rt60: float, rate: int
) -> np.ndarray:
    """``audio`` in a room: the direct sound plus an exponentially decaying tail."""
    if rt60 <= 0:
        return audio
    t = np.arange(int(rt60 * rate)) / rate
    response = rng.normal(0, 1, len(t)) * np.exp(-6.9 * t / rt60)  # -60 dB at rt60
    response *= 0.3 / np.sqrt(np.sum(response**2))  # the tail's energy against the direct path
    response[0] = 1.0
    return fftconvolve(audio, response)[: len(audio)]


@dataclass
class VoiceTracks:
    """What one realistic clip's voice is made of before it is sounded, at ``S`` samples.

    Attributes:
        times (np.ndarray): ``[S]`` seconds.
        pitch (np.ndarray): ``[S]`` semitones from the speaker's base pitch: the
            emotion's contour in the episode, a declination and a slow wander.
        f0 (np.ndarray): ``[S]`` Hz, the pitch with a 5 Hz vibrato.
        rate (np.ndarray): ``[S]`` syllables per second.
        loudness (np.ndarray): ``[S]`` the voice's amplitude factor.
        strength (float): How strongly the cue shows (``RecordingConditions.strength``).
        duration (float): The clip's length in seconds.
        episode (tuple[float, float]): Its start and length in seconds.
    """

    times: np.ndarray
    pitch: np.ndarray
    f0: np.ndarray
    rate: np.ndarray
    loudness: np.ndarray
    strength: float
    duration: float
    episode: tuple[float, float]

    @property
    def speech(self) -> np.ndarray:
        """``[S]`` bool: when the sentence is spoken (0.3 s of silence either side)."""
        return (self.times > 0.3) & (self.times < self.duration - 0.3)


def draw_voice(
    clip: SyntheticClip,
    rng: np.random.Generator,
    sample_rate: int = 48000,
    conditions: RecordingConditions | None = None,
) -> VoiceTracks:
    """The clip's timing and voice tracks: the speaker's own voice, the emotion's cue
    relative to it inside the episode. The first draws of :func:`render_realistic_clip`,
    which sounds them; ``tools/analysis/voice_cue_oracle.py`` reads them."""
    conditions = conditions or RecordingConditions()
    speaker = actor_speaker(clip.actor)
    low, high = conditions.strength
    middle = (low + high) / 2
    strength = rng.uniform(low, middle) if clip.intensity == 1 else rng.uniform(middle, high)
    duration = rng.uniform(3.2, 4.0)
    length = rng.uniform(*EPISODE_SECONDS)
    start = rng.uniform(0.3, duration - 0.3 - length)

    shape, semitones, rate_factor, loud_factor = VOICE_CUES[AUDIO_GROUP[clip.emotion - 1]]
    t_audio = np.arange(int(duration * sample_rate)) / sample_rate
    weight = episode_weight(t_audio, start, length) * strength
    progress = np.clip((t_audio - start) / length, 0.0, 1.0)
    cue = semitones * rng.uniform(0.8, 1.2) * contour(shape, progress)
    wander = np.interp(t_audio, np.linspace(0, duration, 9), rng.normal(0, 0.4, 9))
    pitch = weight * cue - 1.0 * t_audio / duration + wander  # semitones from the base
    f0 = speaker.f0 * rng.uniform(0.97, 1.03) * 2.0 ** (pitch / 12)
    f0 *= 1 + 0.02 * np.sin(2 * np.pi * 5 * t_audio)  # vibrato
    rate = speaker.rate * (1 + weight * (rate_factor * rng.uniform(0.9, 1.1) - 1))
    loudness = speaker.loudness * (1 + weight * (loud_factor - 1)) * rng.uniform(0.85, 1.15)
    return VoiceTracks(t_audio, pitch, f0, rate, loudness, strength, duration, (start, length))


def render_realistic_clip(
    clip: SyntheticClip,
    rng: np.random.Generator,
    size: tuple[int, int] = (160, 120),
    fps: float = 30.0,
    sample_rate: int = 48000,
    conditions: RecordingConditions | None = None,
) -> tuple[np.ndarray, np.ndarray, dict]:
    """Frames ``[V, Y, X, 3]`` uint8, mono audio ``[S]`` float32 and what was drawn.

    The returned dict holds the clip's conditions: ``sex``, ``speaker_f0``, ``snr_db``,
    ``rt60``, ``strength``, ``episode`` (start, length in s), ``face_scale`` ``[V]``
    (against the clean corpus), ``face_center`` ``[V, 2]`` (x, y pixels; the face's
    height is ``100 * face_scale * height / 120`` times its shape) and ``light`` ``[V]``
    (the overall gain per frame).
    """
    conditions = conditions or RecordingConditions()
    width, height = size
    label = clip.emotion - 1
    speaker = actor_speaker(clip.actor)
    tracks = draw_voice(clip, rng, sample_rate, conditions)
    t_audio, f0, rate, loudness = tracks.times, tracks.f0, tracks.rate, tracks.loudness
    strength, duration = tracks.strength, tracks.duration
    start, length = tracks.episode

    phase = 2 * np.pi * np.cumsum(f0) / sample_rate
    voice = sum(speaker.brightness ** (k - 1) * np.sin(k * phase) / k for k in range(1, 10))
    syllables = np.pi * np.cumsum(rate) / sample_rate + rng.uniform(0, np.pi)
    envelope = np.clip(np.sin(syllables), 0, None) ** 2
    envelope *= tracks.speech  # silence around the sentence
    rt60 = rng.uniform(*conditions.rt60)
    speech = _reverberate(rng, loudness * 0.5 * voice * envelope, rt60, sample_rate)
    snr_db = rng.uniform(*conditions.snr_db)
    speech_power = np.mean(speech[envelope > 0.05] ** 2)
    noise = _pink_noise(rng, len(speech)) * np.sqrt(speech_power / 10 ** (snr_db / 10))
    audio = speech + noise
    audio /= max(1.0, np.abs(audio).max() / 0.99)  # no clipping

    # face: the person in their scene, filmed from this clip's distance, moving light
    num_frames = int(round(duration * fps))
    frame_times = np.arange(num_frames) / fps
    face = np.array(_FACE[VISUAL_GROUP[label]]) + rng.normal(0, [0.2, 0.2, 0.08, 0.1])
    show = episode_weight(frame_times, start, length)[:, None] * strength
    expression = np.array(_FACE[0]) + show * (face - np.array(_FACE[0]))  # [V, 4]
    mouth = np.interp(frame_times, t_audio, envelope)  # the mouth opens with the syllables
    scene = _scene(speaker.scene_seed, width, height)
    base_scale = height / 120 * rng.uniform(*conditions.face_scale)
    zoom = 1 + 0.08 * np.sin(2 * np.pi * frame_times / rng.uniform(2, 5) + rng.uniform(0, 6))
    margin = np.array([0.3 * width, 0.35 * height])
    position = rng.uniform(margin, [width, height] - margin)
    drift = rng.normal(0, 0.5 * base_scale, (num_frames, 2)).cumsum(axis=0)
    centers = np.clip(
        position + drift, 0.15 * np.array([width, height]), 0.85 * np.array([width, height])
    )
    gain = rng.uniform(0.75, 1.15) + rng.uniform(0.1, 0.3) * np.sin(
        2 * np.pi * frame_times / rng.uniform(1.5, 4.0) + rng.uniform(0, 6)
    )
    side = rng.uniform(0.2, 0.6) * np.cos(
        2 * np.pi * frame_times / rng.uniform(2, 6) + rng.uniform(0, 6)
    )
    across = np.linspace(-0.5, 0.5, width, dtype=np.float32)[None, :, None]
    field = rng.normal(0, 7, (height + 16, width + 16, 1)).astype(np.float32)
    shifts = rng.integers(0, 17, (num_frames, 2))
    frames = np.empty((num_frames, height, width, 3), np.uint8)
    for t in range(num_frames):
        smile, brow, eye_open, mouth_open = expression[t]
        dy, dx = shifts[t]
        drawn = draw_face(
            height,
            width,
            tuple(int(v) for v in centers[t]),
            base_scale * zoom[t],
            smile,
            brow,
            float(np.clip(eye_open, 0.2, 1.0)),
            float(np.clip(np.clip(mouth_open, 0.05, 1.0) * (0.2 + 0.8 * mouth[t]), 0, 1)),
            speaker.skin,
            field[dy : dy + height, dx : dx + width],
            background=scene,
            shape=speaker.shape,
            hair=speaker.hair,
            shading=True,
        )
        lit = drawn.astype(np.float32) * (gain[t] * (1 + side[t] * across))
        frames[t] = np.clip(lit, 0, 255).astype(np.uint8)
    info = dict(
        sex=speaker.sex,
        speaker_f0=speaker.f0,
        snr_db=snr_db,
        rt60=rt60,
        strength=strength,
        episode=(start, length),
        face_scale=base_scale * zoom * 120 / height,
        face_center=centers.astype(int),
        light=gain,
    )
    return frames, audio.astype(np.float32), info


def write_cremad_demographics(out_dir: str, actors: list[int]) -> str:
    """``VideoDemographics.csv`` in CREMA-D's columns, with the sex each speaker was drawn with."""
    path = osp.join(out_dir, 'VideoDemographics.csv')
    os.makedirs(out_dir, exist_ok=True)
    with open(path, 'w') as fh:
        fh.write('ActorID,Age,Sex,Race,Ethnicity\n')
        for actor in sorted(set(actors)):
            sex = speaker_sex(actor).capitalize()
            fh.write(f'{actor},{30 + actor % 30},{sex},Unknown,Not Hispanic\n')
    return path


__all__ = [
    'PITCH_RANGES',
    'VOICE_CUES',
    'RecordingConditions',
    'VoiceTracks',
    'actor_speaker',
    'contour',
    'draw_voice',
    'render_realistic_clip',
    'speaker_sex',
    'write_cremad_demographics',
]
