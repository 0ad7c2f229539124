"""Inference on a user's own video: find the face, run exactly the test pipeline, predict.

``init_model`` (:mod:`.model_loading`) builds a recognizer from a config and a
checkpoint; ``inference_av`` predicts the emotion of a whole video or, with
``window``, of one window after another (a timeline). The video goes through the same
steps as a corpus clip (:mod:`.video_preparation`), the config's test pipeline
(``DecordInit``, ``SampleSnippets``, ..., ``LoadAudio``, ``SnippetLogSpectrogram``; for
an exported model its numpy twin, :mod:`.backend`) makes the inputs, and
:mod:`.modality_policy` decides what to do when the video has no voice or no face.
"""

from __future__ import annotations

import tempfile
import warnings
from typing import TYPE_CHECKING

from .backend import InferenceBackend, as_backend
from .modality_policy import MODALITY_CHOICES, choose_modality
from .results import InferenceWarning, Prediction, VideoResult
from .video_preparation import prepare_video

if TYPE_CHECKING:  # annotations only: the API runs without PyTorch
    import torch


def inference_av(
    model: torch.nn.Module | InferenceBackend,
    video: str,
    modality: str = 'auto',
    window: float | None = None,
    hop: float | None = None,
    batch_size: int = 8,
    work_dir: str | None = None,
    align_eyes: bool = False,
) -> VideoResult:
    """Predict the emotion in a video, and on request along a sliding window.

    Args:
        model: From :func:`init_model`, or an exported model
            (:class:`avemo_mm.deploy.OnnxRecognizer`, no PyTorch needed).
        video (str): Any file FFmpeg reads (mp4, flv, mkv, avi, ...).
        modality (str): ``'auto'`` uses both modalities when the video has them, the
            face alone when it has no audio track, the voice alone when no face is
            found; ``'audio-visual'`` fails instead; ``'video'`` / ``'audio'`` force
            one. Defaults to ``'auto'``.
        window (float, optional): Window length in seconds for a timeline; None
            predicts the whole video only. Defaults to ``None``.
        hop (float, optional): Seconds between window starts. Defaults to
            ``window / 2``.
        batch_size (int): Windows per forward pass. Defaults to ``8``.
        work_dir (str, optional): Where the face clip goes; None uses a temporary
            folder that is removed afterwards.
        align_eyes (bool): Turn the face crops so that the eyes lie level, for a
            model trained on a cache prepared with ``--align-eyes``. Defaults to
            ``False``.

    Returns:
        VideoResult: The whole-video prediction, the timeline and notes.

    Raises:
        MediaError: The video does not decode, has too few frames, or has neither an
            audio track nor a face (nothing to recognise); or the modality asked for
            is missing.
    """
    if modality not in MODALITY_CHOICES:
        raise ValueError(f'modality must be one of {MODALITY_CHOICES}, got {modality!r}')
    if work_dir is None:
        with tempfile.TemporaryDirectory(prefix='avemo_infer_') as tmp:
            return inference_av(model, video, modality, window, hop, batch_size, tmp, align_eyes)
    backend = as_backend(model)
    prepared = prepare_video(
        video,
        backend.face_size,
        work_dir,
        min_frames=backend.snippet_len,
        align_eyes=align_eyes,
    )
    used, notes = choose_modality(backend, prepared, modality)
    for note in notes:
        warnings.warn(note, InferenceWarning, stacklevel=2)
    info = prepared.info
    base = dict(
        filename=prepared.face_clip,
        audio_path=prepared.audio,
        num_frames=info.num_frames,
        fps=info.fps,
        start_index=0,
        modality='RGB',
    )
    spans = [(0, info.num_frames)]
    if window is not None:
        spans += window_spans(info.num_frames, info.fps, window, hop or window / 2)
    predictions = []
    for first in range(0, len(spans), batch_size):
        chunk = spans[first : first + batch_size]
        predictions += backend.predict(
            [backend.prepare(dict(base, frame_window=s)) for s in chunk], used
        )
    classes = backend.classes
    results = [
        Prediction(classes, scores, embedding, start / info.fps, stop / info.fps)
        for (start, stop), (scores, embedding) in zip(spans, predictions, strict=True)
    ]
    return VideoResult(prepared, used, results[0], results[1:], notes)


def window_spans(num_frames: int, fps: float, window: float, hop: float) -> list[tuple[int, int]]:
    """``(start, stop)`` frames of the sliding windows over a clip.

    Windows start every ``hop`` seconds while a whole window fits; a clip shorter
    than one window gets one window over all of it, and the last window is moved
    to end with the clip so no frame at the end is left out.
    """
    if window <= 0 or hop <= 0:
        raise ValueError(f'window and hop must be > 0 s, got {window}, {hop}')
    length = max(1, int(round(window * fps)))
    step = max(1, int(round(hop * fps)))
    if num_frames <= length:
        return [(0, num_frames)]
    starts = list(range(0, num_frames - length + 1, step))
    if starts[-1] + length < num_frames:
        starts.append(num_frames - length)
    return [(s, s + length) for s in starts]
