"""Write real audio-video containers (H.264 video, AAC audio) with PyAV.

Used by the face cache, the demo's annotated output, the synthetic data generator
and the tests, so that every reader in the project is exercised on the same
container formats as the real corpora.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterable
from fractions import Fraction

import av
import numpy as np


def write_av_clip(
    path: str,
    frames: np.ndarray | Iterable[np.ndarray],
    fps: float = 30.0,
    audio: np.ndarray | None = None,
    sample_rate: int = 48000,
    crf: int = 23,
) -> None:
    """Write an mp4 (or flv) clip with an H.264 video track and an optional AAC track.

    The file is written to ``path + '.partial'`` and renamed when complete, so a
    crash never leaves a truncated file under the final name.

    Args:
        path (str): Output path; the container follows the extension (``.mp4``,
            ``.flv``).
        frames (np.ndarray | Iterable[np.ndarray]): ``[T, H, W, 3]`` uint8 RGB frames,
            or an iterable of ``[H, W, 3]`` ones (encoded as they come, so a long
            video never sits in memory); H and W must be even (H.264 with yuv420p).
        fps (float): Frame rate. Defaults to ``30.0``.
        audio (np.ndarray, optional): ``[S]`` mono float waveform in [-1, 1], or
            ``None`` for a file with no audio track. Defaults to ``None``.
        sample_rate (int): Audio sample rate in Hz. Defaults to ``48000``.
        crf (int): x264 constant rate factor (quality). Defaults to ``23``.
    """
    frames = iter(frames)
    first = next(frames, None)
    if first is None or first.ndim != 3 or first.shape[-1] != 3 or first.dtype != np.uint8:
        shape = 'nothing' if first is None else f'{first.dtype} {first.shape}'
        raise ValueError(f'frames must be uint8 [H, W, 3] images, got {shape}')
    height, width, _ = first.shape
    if height % 2 or width % 2:
        raise ValueError(f'H.264 (yuv420p) needs even frame sizes, got {width}x{height}')
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    partial = path + '.partial'
    fmt = os.path.splitext(path)[1].lstrip('.') or 'mp4'
    rate = Fraction(fps).limit_denominator(1001)
    with av.open(partial, mode='w', format=fmt) as container:
        vstream = container.add_stream('libx264', rate=rate)
        vstream.width, vstream.height, vstream.pix_fmt = width, height, 'yuv420p'
        vstream.options = {'crf': str(crf), 'preset': 'veryfast'}
        astream = None
        if audio is not None:
            astream = container.add_stream('aac', rate=sample_rate)
            astream.layout = 'mono'
        for image in itertools.chain([first], frames):
            frame = av.VideoFrame.from_ndarray(np.ascontiguousarray(image), format='rgb24')
            container.mux(vstream.encode(frame))
        container.mux(vstream.encode())
        if astream is not None:
            samples = np.clip(np.asarray(audio, dtype=np.float32), -1.0, 1.0)[None, :]
            chunk = 1024  # AAC frame size
            for start in range(0, samples.shape[1], chunk):
                block = np.ascontiguousarray(samples[:, start : start + chunk])
                aframe = av.AudioFrame.from_ndarray(block, format='fltp', layout='mono')
                aframe.sample_rate = sample_rate
                aframe.pts = start
                container.mux(astream.encode(aframe))
            container.mux(astream.encode())
    os.replace(partial, path)
