"""A clip of several drawn faces and one sound track, the faces taking turns to speak.

The speaker's mouth opens with the loudness of the voice (syllables of 0.12-0.3 s with
pauses); the others keep their mouths nearly shut and smile. For the live mode's tests
and its benchmark (``tools/analysis/benchmark_live.py``), where who speaks when is known.
"""

from __future__ import annotations

import numpy as np

from ..utils.av_writer import write_av_clip
from .synthetic_face import draw_face

SKINS = ((205, 160, 135), (150, 110, 85), (225, 190, 160), (120, 85, 60))


def syllable_envelope(times: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Loudness of a voice in [0, 1]: syllables of 0.12-0.3 s with pauses between."""
    envelope = np.zeros_like(times)
    t = 0.1
    while t < times[-1]:
        length = rng.uniform(0.12, 0.3)
        inside = (times >= t) & (times < t + length)
        envelope[inside] = np.sin(np.pi * (times[inside] - t) / length) ** 2
        t += length + rng.uniform(0.05, 0.35)
    return envelope


def face_centres(size: tuple[int, int], faces: int) -> list[tuple[int, int]]:
    """Centres ``(x, y)`` of ``faces`` faces side by side across a ``(width, height)`` frame."""
    width, height = size
    return [(int(width * (i + 0.5) / faces), height // 2) for i in range(faces)]


def write_talking_faces_clip(
    path: str,
    size: tuple[int, int] = (320, 240),
    faces: int = 2,
    seconds: float = 6.0,
    turn: float = 3.0,
    fps: float = 25.0,
    seed: int = 0,
    background: int | None = None,
) -> dict:
    """Write the clip; face ``i`` (from the left) speaks during turns ``i, i + faces, ...``.

    Args:
        path (str): Output mp4 (H.264 + AAC at 48 kHz).
        size (tuple[int, int]): ``(width, height)``, even. Defaults to ``(320, 240)``.
        faces (int): Faces side by side. Defaults to ``2``.
        seconds (float): Length. Defaults to ``6.0``.
        turn (float): Seconds each face speaks before the next one. Defaults to ``3.0``.
        fps (float): Frame rate. Defaults to ``25.0``.
        seed (int): For the voice and the noise. Defaults to ``0``.
        background (int, optional): A flat grey level behind the faces; None draws a grey
            ramp (on whose bright side OpenCV's Haar cascade misses faces of 250 px at
            720p). Defaults to ``None``.

    Returns:
        dict: ``centres`` (one ``(x, y)`` per face, left to right) and ``turn``.
    """
    width, height = size
    rng = np.random.default_rng(seed)
    rate = 48000
    t_audio = np.arange(int(seconds * rate)) / rate
    envelope = syllable_envelope(t_audio, rng)
    f0 = 140 * 2 ** (np.interp(t_audio, [0, seconds], [0, 0.3]) + 0.05 * np.sin(3 * t_audio))
    phase = 2 * np.pi * np.cumsum(f0) / rate
    voice = sum(0.6**k * np.sin((k + 1) * phase) for k in range(6)) * envelope * 0.4
    audio = voice + rng.normal(0, 0.003, len(voice))
    centres = face_centres(size, faces)
    scale = height / 240 * min(1.0, 2.4 / faces)

    def frames():
        for index in range(int(seconds * fps)):
            time = index / fps
            loud = float(np.interp(time, t_audio, envelope))
            speaker = int(time // turn) % faces
            image = None if background is None else np.full((height, width, 3), background)
            for i, centre in enumerate(centres):
                mouth = 0.1 + 0.9 * loud if i == speaker else 0.08
                smile = 0.0 if i == speaker else 0.8
                noise = rng.normal(0, 3, (height, width, 1)).astype(np.float32)
                behind = None if image is None else image.astype(np.float32)
                skin = SKINS[i % len(SKINS)]
                image = draw_face(
                    height, width, centre, scale, smile, 0.0, 1.0, mouth, skin, noise, behind
                )
            yield image

    write_av_clip(path, frames(), fps=fps, audio=audio.astype(np.float32), sample_rate=rate)
    return dict(centres=centres, turn=turn)
