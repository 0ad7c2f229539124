"""Emotion predictions from a live source (webcam, network stream) that OpenCV opens.

OpenCV delivers frames but no sound, so a stream runs on the face alone (an
audio-visual model gets silence, see ``AVRecognizer``'s ``test_cfg``). Every ``hop``
seconds the last ``window`` seconds of frames are written as a short clip and go
through :func:`~avemo_mm.apis.inference_av`, exactly as a file would.
"""

from __future__ import annotations

import collections
import os.path as osp
import tempfile
import time
from collections.abc import Iterator

import cv2
import numpy as np

from ..utils.av_writer import write_av_clip
from ..utils.media import MediaError
from .inference import inference_av
from .results import Prediction


def open_source(source: str) -> tuple[cv2.VideoCapture, float]:
    """Open a webcam index (``'0'``), a device path, a file or a stream URL.

    Returns:
        tuple[cv2.VideoCapture, float]: The capture and its frame rate (25 when the
        source does not say).

    Raises:
        MediaError: OpenCV cannot open the source.
    """
    capture = cv2.VideoCapture(int(source) if source.isdigit() else source)
    if not capture.isOpened():
        raise MediaError(
            f'{source}: OpenCV cannot open this source (a webcam index such as 0, a '
            'device, a file or a stream URL that its FFmpeg reads)'
        )
    fps = capture.get(cv2.CAP_PROP_FPS)
    return capture, float(fps) if fps and 1 <= fps <= 240 else 25.0


def stream_predictions(
    model, source: str, window: float = 4.0, hop: float = 2.0, max_seconds: float | None = None
) -> Iterator[tuple[Prediction, float]]:
    """Predict every ``hop`` seconds of stream time from the last ``window`` seconds.

    Args:
        model: From :func:`~avemo_mm.apis.init_model` (not audio-only).
        source (str): See :func:`open_source`.
        window (float): Seconds of video per prediction. Defaults to ``4.0``.
        hop (float): Seconds between predictions. Defaults to ``2.0``.
        max_seconds (float, optional): Stop after this much stream time; None runs
            until the source ends.

    Yields:
        tuple[Prediction, float]: The window's prediction (times from the start of
        the stream) and the seconds its inference took, which must stay below
        ``hop`` to keep up with a live source.
    """
    if model.cls_head.modality == 'audio':
        raise ValueError('a stream has no audio in OpenCV: an audio-only model cannot run on it')
    capture, fps = open_source(source)
    length, step = max(1, round(window * fps)), max(1, round(hop * fps))
    frames: collections.deque = collections.deque(maxlen=length)
    count = 0
    try:
        with tempfile.TemporaryDirectory(prefix='avemo_stream_') as tmp:
            while max_seconds is None or count < max_seconds * fps:
                ok, bgr = capture.read()
                if not ok:
                    break
                frames.append(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB))
                count += 1
                if len(frames) == length and (count - length) % step == 0:
                    yield _predict_window(model, np.stack(frames), fps, count, tmp)
    finally:
        capture.release()


def _predict_window(model, frames: np.ndarray, fps: float, count: int, tmp: str):
    started = time.perf_counter()
    frames = frames[:, : frames.shape[1] // 2 * 2, : frames.shape[2] // 2 * 2]
    clip = osp.join(tmp, 'window.mp4')
    write_av_clip(clip, frames, fps=fps)
    result = inference_av(model, clip, modality='video', work_dir=tmp)
    prediction = result.clip
    prediction.start, prediction.end = (count - len(frames)) / fps, count / fps
    return prediction, time.perf_counter() - started
