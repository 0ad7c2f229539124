"""Write real audio-video containers (H.264 video, AAC audio) with PyAV.

Used by the face cache, the demo's annotated output, the synthetic data generator
and the tests, so that every reader in the project is exercised on the same
container formats as the real corpora.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterable, Sequence
from fractions import Fraction

import av
import numpy as np

_MILLISECOND = Fraction(1, 1000)


def write_av_clip(
    path: str,
    frames: np.ndarray | Iterable[np.ndarray],
    fps: float = 30.0,
    audio: np.ndarray | None = None,
    sample_rate: int = 48000,
    crf: int = 23,
    pix_fmt: str = 'yuv420p',
    codec: str = 'libx264',
    frame_times: Sequence[float] | None = None,
    threads: int = 1,
) -> None:
    """Write an mp4 (or flv) clip with an H.264 video track and an optional AAC track.

    The file is written to ``path + '.partial'`` and renamed when complete, so a
    crash never leaves a truncated file under the final name.

    Args:
        path (str): Output path; the container follows the extension (``.mp4``,
            ``.flv``, ``.mkv``).
        frames (np.ndarray | Iterable[np.ndarray]): ``[V, Y, X, 3]`` uint8 RGB frames,
            or an iterable of ``[Y, X, 3]`` ones (encoded as they come, so a long
            video never sits in memory); Y and X must be even with yuv420p.
        fps (float): Frame rate. Defaults to ``30.0``.
        audio (np.ndarray, optional): ``[S]`` mono float waveform in [-1, 1], or
            ``None`` for a file with no audio track. Defaults to ``None``.
        sample_rate (int): Audio sample rate in Hz. Defaults to ``48000``.
        crf (int): x264 constant rate factor (quality). Defaults to ``23``.
        pix_fmt (str): The video's pixel format: ``'yuv420p'`` (what cameras
            write), ``'yuv444p'`` (any frame size), ``'gray'`` (one channel; x264
            cannot write it, ``codec='ffv1'`` can). Defaults to ``'yuv420p'``.
        codec (str): Video encoder: ``'libx264'`` (H.264) or another FFmpeg one,
            e.g. ``'ffv1'`` in ``.mkv``. Defaults to ``'libx264'``.
        frame_times (Sequence[float], optional): Each frame's time in seconds, for a
            variable-frame-rate video (millisecond timestamps); ``None`` spaces the
            frames ``1 / fps`` apart. Defaults to ``None``.
        threads (int): Encoder threads; ``0`` lets the encoder pick one per CPU.
            x264's output depends on its thread count, so with ``0`` the same frames
            give other bytes (pixels up to 81 apart) on a machine, or under a CPU
            affinity, with another number of CPUs; the default ``1`` makes the file a
            function of the frames alone, which the corpus generator and the face
            cache need for a seeded run to repeat. Defaults to ``1``.
    """
    frames = iter(frames)
    first = next(frames, None)
    if first is None or first.ndim != 3 or first.shape[-1] != 3 or first.dtype != np.uint8:
        shape = 'nothing' if first is None else f'{first.dtype} {first.shape}'
        raise ValueError(f'frames must be uint8 [H, W, 3] images, got {shape}')
    height, width, _ = first.shape
    if pix_fmt == 'yuv420p' and (height % 2 or width % 2):
        raise ValueError(f'H.264 with yuv420p needs even frame sizes, got {width}x{height}')
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    partial = path + '.partial'
    ext = os.path.splitext(path)[1].lstrip('.') or 'mp4'
    fmt = {'mkv': 'matroska'}.get(ext, ext)  # FFmpeg's muxer names
    rate = Fraction(fps).limit_denominator(1001)
    with av.open(partial, mode='w', format=fmt) as container:
        vstream = container.add_stream(codec, rate=rate)
        vstream.width, vstream.height, vstream.pix_fmt = width, height, pix_fmt
        vstream.codec_context.thread_count = threads
        if codec == 'libx264':
            # without the macroblock tree, x264 gives the same bytes for the same frames
            # every time (with it, 4 in 5 clips of the synthetic corpus came out
            # otherwise when made again, on one thread)
            vstream.options = {'crf': str(crf), 'preset': 'veryfast', 'x264-params': 'mbtree=0'}
        if frame_times is not None:
            vstream.codec_context.time_base = _MILLISECOND
        astream = None
        if audio is not None:
            astream = container.add_stream('aac', rate=sample_rate)
            astream.layout = 'mono'
        for index, image in enumerate(itertools.chain([first], frames)):
            frame = av.VideoFrame.from_ndarray(np.ascontiguousarray(image), format='rgb24')
            if frame_times is not None:
                frame.pts, frame.time_base = round(frame_times[index] * 1000), _MILLISECOND
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
