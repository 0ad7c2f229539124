"""A clip with two faces and one sound track: one face speaks, then the other."""

import numpy as np

from avemo_mm.datasets.synthetic_face import draw_face
from avemo_mm.utils.av_writer import write_av_clip

LEFT, RIGHT = (80, 120), (240, 120)  # face centres in the 320x240 frame


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


def write_two_face_clip(
    path: str, seconds: float = 6.0, swap_at: float = 3.0, fps: float = 25.0, seed: int = 0
) -> dict:
    """Two drawn faces; the left one speaks until ``swap_at`` s, the right one after.

    The speaker's mouth opens with the loudness of the voice; the other face keeps its
    mouth nearly shut and smiles. Returns the faces' centres and the swap time.
    """
    rng = np.random.default_rng(seed)
    rate = 48000
    t_audio = np.arange(int(seconds * rate)) / rate
    envelope = syllable_envelope(t_audio, rng)
    f0 = 140 * 2 ** (np.interp(t_audio, [0, seconds], [0, 0.3]) + 0.05 * np.sin(3 * t_audio))
    phase = 2 * np.pi * np.cumsum(f0) / rate
    voice = sum(0.6**k * np.sin((k + 1) * phase) for k in range(6)) * envelope * 0.4
    audio = voice + rng.normal(0, 0.003, len(voice))
    frames = []
    for index in range(int(seconds * fps)):
        time = index / fps
        loud = float(np.interp(time, t_audio, envelope))
        speaking_left = time < swap_at
        image = None
        for centre, speaks, skin, smile in (
            (LEFT, speaking_left, (205, 160, 135), 0.0),
            (RIGHT, not speaking_left, (150, 110, 85), 0.8),
        ):
            mouth = 0.1 + 0.9 * loud if speaks else 0.08
            noise = rng.normal(0, 3, (240, 320, 1)).astype(np.float32)
            background = None if image is None else image.astype(np.float32)
            image = draw_face(
                240, 320, centre, 1.0, smile, 0.0, 1.0, mouth, skin, noise, background
            )
        frames.append(image)
    write_av_clip(
        path, np.stack(frames), fps=fps, audio=audio.astype(np.float32), sample_rate=rate
    )
    return dict(left=LEFT, right=RIGHT, swap_at=swap_at)
