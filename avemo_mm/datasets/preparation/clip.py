"""Prepare one clip: probe it, check it, crop its face track, write its cache files."""

from __future__ import annotations

import functools
import json
import os
import os.path as osp
from dataclasses import asdict, dataclass

from ...utils.media import MediaError, probe_media, read_audio, write_wav
from ..corpora import get_corpus
from .face_alignment import EyeAligner
from .faces import FaceTracker, write_face_clip


@dataclass
class PrepareSettings:
    """Settings of a preparation run (the tool's command-line options).

    Attributes:
        corpus (str): ``'ravdess'`` or ``'cremad'``.
        data_root (str): The corpus as downloaded.
        out_dir (str): Where the cache, annotation, folds and report go.
        face_size (int): Side of the cached face crops in pixels. 224 is the
            paper's input; smaller caches train faster. Defaults to ``224``.
        sample_rate (int): Rate of the cached mono wav. Defaults to ``16000``.
        min_frames (int): Clips with fewer decodable frames are skipped.
            Defaults to ``16`` (one snippet).
        max_duration (float): Longer clips are skipped (CREMA-D's
            1064_IEO_DIS_MD is a one-minute video of every emotion).
            Defaults to ``20.0`` s.
        min_audio (float): Audio shorter than this is skipped as broken: one
            spectrogram segment. Defaults to ``1.0`` s.
        detect_every (int): Face detector stride in frames. Defaults to ``3``.
        second_look (str): Who looks again where the strict cascade finds a face in
            fewer than half of the frames: ``'cnn'`` (dlib's CNN detector) or ``'haar'``
            (the permissive cascades; ``docs/method.md``, "Face cache"). Defaults to
            ``'cnn'``.
        crf (int): x264 quality of the face cache. Defaults to ``18``.
        align_eyes (bool): Turn each face crop so that the eyes lie level
            (:class:`EyeAligner`; ``docs/method.md``, "Aligned faces"). Defaults to
            ``False``.
    """

    corpus: str
    data_root: str
    out_dir: str
    face_size: int = 224
    sample_rate: int = 16000
    min_frames: int = 16
    max_duration: float = 20.0
    min_audio: float = 1.0
    detect_every: int = 3
    second_look: str = 'cnn'
    crf: int = 18
    align_eyes: bool = False


@functools.lru_cache(maxsize=4)
def _tracker(detect_every: int, second_look: str) -> FaceTracker:
    """One tracker per worker process: loading the detectors costs more than a detection."""
    return FaceTracker(detect_every=detect_every, second_look=second_look)


@functools.lru_cache(maxsize=4)
def _aligner(detect_every: int) -> EyeAligner:
    """One eye aligner per worker process, as the tracker."""
    return EyeAligner(detect_every)


def record_path(out_dir: str, clip_id: str) -> str:
    """The per-clip record; it is written last, so its presence means "done"."""
    return osp.join(out_dir, 'records', clip_id + '.json')


def prepare_clip(rel_video: str, settings: PrepareSettings) -> dict:
    """Prepare one clip.

    Args:
        rel_video (str): Video path relative to ``settings.data_root``.
        settings (PrepareSettings): The run's settings.

    Returns:
        dict: ``{'record': {...}}`` when the clip is in the cache now, or
        ``{'skip': reason}`` naming why it is not. Never raises on bad media.
    """
    spec = get_corpus(settings.corpus)
    try:
        fields = spec.parse(rel_video)
    except ValueError as err:
        return dict(skip=f'bad file name: {err}')
    video = osp.join(settings.data_root, rel_video)
    try:
        info = probe_media(video, decode_audio=False)
    except MediaError as err:
        return dict(skip=str(err))
    if info.num_frames < settings.min_frames:
        return dict(skip=f'{video}: {info.num_frames} frames, fewer than {settings.min_frames}')
    if info.duration > settings.max_duration:
        return dict(skip=f'{video}: {info.duration:.1f} s long, over {settings.max_duration} s')

    rel_audio = spec.audio_source(settings.data_root, rel_video, fields)
    audio = None
    if rel_audio is not None:
        try:
            audio = read_audio(osp.join(settings.data_root, rel_audio), settings.sample_rate)
        except MediaError as err:
            return dict(skip=f'no usable audio: {err}')
        if len(audio) < settings.min_audio * settings.sample_rate:
            seconds = len(audio) / settings.sample_rate
            return dict(
                skip=f'{rel_audio}: audio {seconds:.2f} s, shorter than {settings.min_audio} s'
            )

    clip_id = fields['clip_id']
    rel_face = osp.join('faces', clip_id + '.mp4')
    boxes, detect_rate = write_face_clip(
        video,
        osp.join(settings.out_dir, rel_face),
        settings.face_size,
        info.fps,
        _tracker(settings.detect_every, settings.second_look),
        crf=settings.crf,
        aligner=_aligner(settings.detect_every) if settings.align_eyes else None,
    )
    rel_wav = None
    if audio is not None:
        rel_wav = osp.join('audio', clip_id + '.wav')
        os.makedirs(osp.join(settings.out_dir, 'audio'), exist_ok=True)
        write_wav(osp.join(settings.out_dir, rel_wav), audio, settings.sample_rate)

    record = dict(
        fields,
        corpus=settings.corpus,
        video=rel_video,
        audio=rel_audio,
        face_video=rel_face,
        face_audio=rel_wav,
        **asdict(info),
        face_detect_rate=round(detect_rate, 3),
        face_fallback=detect_rate == 0.0,
    )
    record['num_frames'] = len(boxes)  # what the cache holds
    record['has_audio'] = audio is not None
    record['audio_duration'] = 0.0 if audio is None else len(audio) / settings.sample_rate
    record['audio_sample_rate'] = settings.sample_rate if audio is not None else 0
    path = record_path(settings.out_dir, clip_id)
    os.makedirs(osp.dirname(path), exist_ok=True)
    with open(path + '.partial', 'w') as fh:
        json.dump(record, fh)
    os.replace(path + '.partial', path)
    return dict(record=record)
