"""Inference on a user's own video: find the face, run exactly the test pipeline, predict.

``init_model`` builds a recognizer from a config and a checkpoint; ``inference_av``
predicts the emotion of a whole video or, with ``window``, of one window after
another (a timeline). The video goes through the same steps as a corpus clip: the
face is tracked and cropped into a face clip by the preparation tool's own code
(:func:`~avemo_mm.datasets.preparation.write_face_clip`), the audio is read from the
video's own track, and the config's test pipeline (``DecordInit``,
``SampleSnippets``, ..., ``LoadAudio``, ``SnippetLogSpectrogram``) makes the inputs.
"""

from __future__ import annotations

import copy
import dataclasses
import os.path as osp
import tempfile
import warnings
from dataclasses import dataclass, field

import numpy as np
import torch
from mmengine.config import Config
from mmengine.dataset import Compose, pseudo_collate
from mmengine.registry import init_default_scope
from mmengine.runner import load_state_dict
from mmengine.runner.checkpoint import CheckpointLoader

from ..datasets.preparation import FaceTracker, write_face_clip
from ..engine import CheckpointMismatchError, checkpoint_mismatches, mismatch_message
from ..utils.config import propagate_dataset_variables
from ..utils.media import MediaError, MediaInfo, probe_media, read_audio, write_wav

MODALITY_CHOICES = ('auto', 'audio-visual', 'video', 'audio')
AUDIO_RATE = 16000  # the face cache's wav rate; LoadAudio resamples if it wants another


class InferenceWarning(UserWarning):
    """Inference went on with less than the video should give (no audio, no face)."""


@dataclass
class PreparedVideo:
    """A video ready for the test pipeline.

    Attributes:
        video (str): The user's file.
        info (MediaInfo): What probing found.
        face_clip (str): The face crops as an H.264 clip (the face cache format).
        boxes (np.ndarray): ``[T, 3]`` face box per frame (centre x, centre y, side)
            in the video's pixels.
        face_detect_rate (float): Fraction of detector runs that found a face; 0.0
            means none anywhere (the crop is the centred square).
        audio (str, optional): The audio track as a 16 kHz mono wav (the face cache's
            sidecar format, decoded once however many windows read it); None when
            the video has no audio track.
    """

    video: str
    info: MediaInfo
    face_clip: str
    boxes: np.ndarray
    face_detect_rate: float
    audio: str | None


@dataclass
class Prediction:
    """The emotion scores of a video or of one window of it.

    Attributes:
        classes (tuple[str, ...]): The K class names.
        scores (np.ndarray): ``[K]`` probabilities.
        embedding (np.ndarray): ``[E]`` the fusion head's embedding.
        start (float): Start of the part predicted, seconds.
        end (float): End, seconds.
    """

    classes: tuple[str, ...]
    scores: np.ndarray
    embedding: np.ndarray
    start: float
    end: float

    @property
    def label(self) -> str:
        return self.classes[int(self.scores.argmax())]

    def top(self, k: int = 3) -> list[tuple[str, float]]:
        """The ``k`` likeliest classes with their probabilities, likeliest first."""
        order = np.argsort(-self.scores)[:k]
        return [(self.classes[i], float(self.scores[i])) for i in order]


@dataclass
class VideoResult:
    """Everything ``inference_av`` found for one video.

    Attributes:
        video (PreparedVideo): The prepared input.
        modality (str): The inputs used: ``'audio-visual'``, ``'video'``, ``'audio'``.
        clip (Prediction): The whole video.
        timeline (list[Prediction]): One per window (empty without ``window``).
        notes (list[str]): What was missing and what was done about it.
    """

    video: PreparedVideo
    modality: str
    clip: Prediction
    timeline: list[Prediction] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def init_model(
    config: str | Config,
    checkpoint: str | None = None,
    device: str = 'cpu',
    cfg_options: dict | None = None,
) -> torch.nn.Module:
    """Build a recognizer from a config and load a checkpoint (weights only).

    The class names come from the checkpoint's ``meta['dataset_meta']`` (written by
    the Runner while training), else from the config's test dataset class.

    Args:
        config (str | Config): Config file or object.
        checkpoint (str, optional): Checkpoint file; None keeps the initial weights.
            A file that holds a pickled callable is refused
            (:class:`avemo_mm.compat.CheckpointRefusedError`), and so is one whose
            weights do not fit the config's model (:class:`CheckpointMismatchError`).
        device (str): ``'cpu'``, ``'cuda'``, ``'cuda:1'`` ... Defaults to ``'cpu'``.
        cfg_options (dict, optional): Overrides merged into the config.

    Returns:
        torch.nn.Module: The model in eval mode, with ``cfg`` and ``dataset_meta``.
    """
    from mmaction.registry import DATASETS, MODELS

    cfg = Config.fromfile(config) if isinstance(config, str) else copy.deepcopy(config)
    if cfg_options:
        cfg.merge_from_dict(cfg_options)
        propagate_dataset_variables(cfg, cfg_options)  # fold=3 reaches the datasets
    init_default_scope(cfg.get('default_scope', 'mmaction'))
    model = MODELS.build(cfg.model)
    meta = {}
    if checkpoint is not None:
        loaded = CheckpointLoader.load_checkpoint(checkpoint, map_location='cpu')
        state_dict = loaded.get('state_dict', loaded)
        problems = checkpoint_mismatches(model, state_dict)
        if problems:  # mmengine would only warn, and predict with random layers
            raise CheckpointMismatchError(mismatch_message(checkpoint, problems))
        weights = {k.removeprefix('module.'): v for k, v in state_dict.items()}
        load_state_dict(model, weights, logger='silent')  # checked just above
        meta = dict(loaded.get('meta', {}).get('dataset_meta') or {})
    if not meta.get('classes'):
        dataset_cls = DATASETS.get(cfg.test_dataloader.dataset.type)
        meta = dict(getattr(dataset_cls, 'METAINFO', {}))
    if not meta.get('classes'):
        raise ValueError(
            f'no class names: neither the checkpoint {checkpoint} nor the dataset type '
            f'{cfg.test_dataloader.dataset.type} has metainfo classes'
        )
    model.cfg = cfg
    model.dataset_meta = meta
    return model.to(device).eval()


def prepare_video(
    video: str, face_size: int, out_dir: str, detect_every: int = 3, min_frames: int = 1
) -> PreparedVideo:
    """Probe a video, write its face clip and its audio as a wav into ``out_dir``.

    Raises:
        MediaError: The file does not decode, or has fewer than ``min_frames`` frames;
            the message names the file.
    """
    info = probe_media(video, decode_audio=False)  # the audio is decoded once, below
    if info.num_frames < min_frames:
        raise MediaError(
            f'{video}: {info.num_frames} frames ({info.duration:.2f} s); the model needs '
            f'at least {min_frames} frames (one snippet)'
        )
    face_clip = osp.join(out_dir, 'face.mp4')
    boxes, rate = write_face_clip(video, face_clip, face_size, info.fps, FaceTracker(detect_every))
    # the face clip is at a constant rate: a variable-rate video may have other counts
    info = dataclasses.replace(info, num_frames=len(boxes), duration=len(boxes) / info.fps)
    try:
        samples = read_audio(video, AUDIO_RATE)
    except MediaError:  # no audio track, or one that does not decode: the face alone
        return PreparedVideo(video, info, face_clip, boxes, rate, None)
    audio = osp.join(out_dir, 'audio.wav')
    write_wav(audio, samples, AUDIO_RATE)
    info = dataclasses.replace(
        info,
        has_audio=True,
        audio_duration=len(samples) / AUDIO_RATE,
        audio_sample_rate=AUDIO_RATE,
    )
    return PreparedVideo(video, info, face_clip, boxes, rate, audio)


def inference_av(
    model: torch.nn.Module,
    video: str,
    modality: str = 'auto',
    window: float | None = None,
    hop: float | None = None,
    batch_size: int = 8,
    work_dir: str | None = None,
) -> VideoResult:
    """Predict the emotion in a video, and on request along a sliding window.

    Args:
        model (torch.nn.Module): From :func:`init_model`.
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

    Returns:
        VideoResult: The whole-video prediction, the timeline and notes.

    Raises:
        MediaError: The video does not decode, has too few frames, or has neither an
            audio track nor a face (nothing to recognise); or the modality asked for
            is missing.
    """
    if modality not in MODALITY_CHOICES:
        raise ValueError(f'modality must be one of {MODALITY_CHOICES}, got {modality!r}')
    pipeline_cfg = copy.deepcopy(model.cfg.test_dataloader.dataset.pipeline)
    snippet_len = _snippet_len(pipeline_cfg)
    if work_dir is None:
        with tempfile.TemporaryDirectory(prefix='avemo_infer_') as tmp:
            return inference_av(model, video, modality, window, hop, batch_size, tmp)

    prepared = prepare_video(video, _face_size(pipeline_cfg), work_dir, min_frames=snippet_len)
    used, notes = _choose_modality(model, prepared, modality)
    for note in notes:
        warnings.warn(note, InferenceWarning, stacklevel=2)
    for transform in pipeline_cfg:
        if transform['type'] == 'LoadAudio':
            transform['missing'] = 'silence'  # the model zeroes the audio anyway
    pipeline = Compose(pipeline_cfg)
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
        batch = [pipeline(dict(base, frame_window=s)) for s in spans[first : first + batch_size]]
        predictions += _predict(model, batch, used)
    classes = tuple(model.dataset_meta['classes'])
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


def _predict(model, batch: list[dict], modality: str) -> list[tuple[np.ndarray, np.ndarray]]:
    """Scores ``[K]`` and embeddings ``[E]`` for a list of pipeline outputs."""
    previous = getattr(model, 'test_modality', None)
    if previous is not None and model.cls_head.modality == 'audio-visual':
        model.test_modality = modality
    try:
        with torch.no_grad():
            samples = model.test_step(pseudo_collate(batch))
    finally:
        if previous is not None:
            model.test_modality = previous
    return [
        (s.pred_score.float().cpu().numpy(), s.embedding.float().cpu().numpy()) for s in samples
    ]


def _choose_modality(model, prepared: PreparedVideo, asked: str) -> tuple[str, list[str]]:
    """The inputs to use, and a note for each thing missing."""
    trained = model.cls_head.modality
    has_audio = prepared.info.has_audio
    has_face = prepared.face_detect_rate > 0
    name = prepared.video
    notes = []
    if not has_audio:
        notes.append(f'{name}: no audio track')
    if not has_face:
        notes.append(f'{name}: no face detected; the crop is the centre of the frame')
    if trained != 'audio-visual':
        if trained == 'audio' and not has_audio:
            raise MediaError(f'{name}: no audio track, and the model is audio-only')
        if asked not in ('auto', trained):
            raise ValueError(f'the model is {trained}-only; it cannot run as {asked!r}')
        return trained, notes
    if asked == 'auto':
        if not has_audio and not has_face:
            raise MediaError(f'{name}: no audio track and no face: nothing to recognise')
        if not has_audio:
            notes.append('running on the face alone (the model gets silence)')
            return 'video', notes
        if not has_face:
            notes.append('running on the voice alone (the model gets a blank face)')
            return 'audio', notes
        return 'audio-visual', notes
    if asked in ('audio-visual', 'audio') and not has_audio:
        raise MediaError(f"{name}: no audio track; use modality 'video' or 'auto'")
    return asked, notes


def _snippet_len(pipeline: list[dict]) -> int:
    """k, the frames of one snippet: a clip needs at least that many."""
    for transform in pipeline:
        if transform['type'] == 'SampleSnippets':
            return transform.get('snippet_len', 16)
    raise ValueError(
        'the test pipeline has no SampleSnippets: inference needs an avemo-mm pipeline'
    )


def _face_size(pipeline: list[dict]) -> int:
    """The side the test pipeline shows the model (the face cache's crop size)."""
    size = 224
    for transform in pipeline:
        scale = transform.get('crop_size') or transform.get('scale')
        if transform['type'] in ('Resize', 'CenterCrop', 'ThreeCrop') and scale is not None:
            sides = (scale, scale) if isinstance(scale, int) else tuple(scale)
            if min(sides) > 0:
                size = max(sides)
    return int(size)
