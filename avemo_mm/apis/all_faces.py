"""Every face of a video tracked under its own id, each predicted window by window.

``inference_all_faces`` finds all faces the detector sees, links them across frames
into tracks (``avemo_mm.datasets.preparation.face_tracks``: IoU with an optimal
assignment, gaps bridged), drops tracks seen too rarely, and cuts each track into its
own face clip. Every window of the video is then predicted per face through the
config's own test pipeline; the face that clearly speaks in the window (``speaking``)
gets the sound too, every other face is predicted on the face alone.
"""

from __future__ import annotations

import csv
import itertools
import json
import os
import os.path as osp
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from ..datasets.preparation import crop_square
from ..datasets.preparation.face_detector import HaarFaceDetector
from ..datasets.preparation.face_tracks import centre_side, continuous_boxes, link_tracks
from ..utils.av_writer import write_av_clip
from ..utils.media import MediaError, iter_video_frames, probe_media, read_audio, write_wav
from .backend import InferenceBackend, as_backend
from .inference import window_spans
from .speaking import audio_envelope, mouth_activity, mouth_patch, speaker_of, speaking_score
from .video_preparation import AUDIO_RATE

if TYPE_CHECKING:  # annotations only: the API runs without PyTorch
    import torch


@dataclass
class FaceWindow:
    """One face's prediction over one window (times in seconds from the video's start)."""

    start: float
    end: float
    label: str
    scores: list[float]
    modality: str  # 'audio-visual' or 'video'
    speaking: float


@dataclass
class TrackedFace:
    """One face of the video under its id.

    Attributes:
        id (int): 1, 2, ... in the order the faces first appear.
        first (int): The first frame the track covers.
        boxes (np.ndarray): ``[L, 3]`` the face's box per frame from ``first`` on:
            centre x, centre y and side in the video's pixels (smoothed).
        face_clip (str): Its face crops as a clip of ``L`` frames.
        activity (np.ndarray): ``[L]`` mouth activity (``speaking.mouth_activity``).
        fps (float): The frame rate the video was read at (frames -> seconds).
        windows (list[FaceWindow]): Its predictions, in time order.
    """

    id: int
    first: int
    boxes: np.ndarray
    face_clip: str
    activity: np.ndarray
    fps: float
    windows: list[FaceWindow] = field(default_factory=list)

    @property
    def stop(self) -> int:
        return self.first + len(self.boxes)

    def frames_within(self, start: int, stop: int) -> tuple[int, int]:
        """The part of video frames ``[start, stop)`` this face is in, in its own frames."""
        return max(start, self.first) - self.first, min(stop, self.stop) - self.first


def track_faces(
    video: str,
    fps: float,
    detect_every: int = 3,
    min_detections: int = 3,
    max_gap: float = 0.5,
    smooth_window: int = 9,
) -> tuple[list[tuple[int, np.ndarray]], int]:
    """All faces of a video as ``(first frame, boxes [L, 3])`` tracks, and its frame count.

    Args:
        video (str): Any file PyAV decodes.
        fps (float): The constant frame rate to read it at.
        detect_every (int): Detect on every n-th frame. Defaults to ``3``.
        min_detections (int): Tracks found in fewer detector runs are dropped (a false
            face in the clutter rarely recurs). Defaults to ``3``.
        max_gap (float): Seconds a face may go unseen and keep its id. Defaults to ``0.5``.
        smooth_window (int): Frames in the moving average of each box. Defaults to ``9``.
    """
    detector = HaarFaceDetector()
    detections, num = {}, 0
    for t, frame in enumerate(iter_video_frames(video, fps)):
        num = t + 1
        if t % detect_every == 0:
            detections[t] = detector.detect(frame)
    tracks = link_tracks(detections, max_gap=max(detect_every, int(round(max_gap * fps))))
    found = []
    for track in tracks:
        if len(track.boxes) < min_detections:
            continue
        first = min(track.boxes)
        stop = min(num, track.last_frame + detect_every)  # until the next look missed it
        centres = {t: centre_side(box) for t, box in track.boxes.items()}
        found.append((first, continuous_boxes(centres, first, stop, smooth_window)))
    # ids by first appearance, faces that appear together from left to right
    return sorted(found, key=lambda track: (track[0], track[1][0, 0])), num


def inference_all_faces(
    model: torch.nn.Module | InferenceBackend,
    video: str,
    window: float = 2.0,
    hop: float | None = None,
    work_dir: str | None = None,
    margin: float = 1.3,
    **track_options,
) -> list[TrackedFace]:
    """Predict the emotion of every face in a video, window by window.

    Args:
        model: From :func:`~avemo_mm.apis.init_model`, or an exported model
            (:class:`avemo_mm.deploy.OnnxRecognizer`); it must see faces
            (audio-visual or video-only).
        video (str): Any file PyAV decodes.
        window (float): Seconds per window. Defaults to ``2.0``.
        hop (float, optional): Seconds between windows. Defaults to ``window / 2``.
        work_dir (str, optional): Where the face clips go; None uses a temporary
            folder removed afterwards.
        margin (float): Crop side against the detected face's. Defaults to ``1.3``.
        **track_options: For :func:`track_faces`.

    Returns:
        list[TrackedFace]: By id; empty when no face is found.

    Raises:
        MediaError: The video does not decode.
        ValueError: The model is audio-only.
    """
    backend = as_backend(model)
    if backend.modality == 'audio':
        raise ValueError('an audio-only model cannot tell faces apart: use a model that sees')
    if work_dir is None:
        with tempfile.TemporaryDirectory(prefix='avemo_faces_') as tmp:
            return inference_all_faces(backend, video, window, hop, tmp, margin, **track_options)
    info = probe_media(video, decode_audio=False)
    tracks, num_frames = track_faces(video, info.fps, **track_options)
    try:
        samples = read_audio(video, AUDIO_RATE)
    except MediaError:  # no sound: every face on its own
        samples = None
    hears = samples is not None and backend.modality == 'audio-visual'
    envelope = (
        audio_envelope(samples, AUDIO_RATE, info.fps, num_frames)
        if samples is not None
        else np.zeros(num_frames)
    )
    size = backend.face_size
    faces = [
        _cut_face(video, info.fps, i + 1, first, boxes, margin, size, work_dir)
        for i, (first, boxes) in enumerate(tracks)
    ]
    audio_paths = {}
    for face in faces if samples is not None else []:
        # each face clip's own stretch of the sound, so that their times agree
        begin = round(face.first / info.fps * AUDIO_RATE)
        length = round(len(face.boxes) / info.fps * AUDIO_RATE)
        audio_paths[face.id] = osp.join(work_dir, f'face_{face.id}.wav')
        write_wav(audio_paths[face.id], samples[begin : begin + length], AUDIO_RATE)
    min_frames = backend.snippet_len
    by_id = {face.id: face for face in faces}
    for start, stop in window_spans(num_frames, info.fps, window, hop or window / 2):
        present = []
        for f in faces:
            first, last = f.frames_within(start, stop)
            if last - first >= min_frames:
                sound = envelope[f.first + first : f.first + last]
                present.append(
                    FaceInWindow(
                        f.id,
                        f.face_clip,
                        audio_paths.get(f.id),
                        len(f.boxes),
                        (first, last),
                        f.activity[first:last],
                        sound,
                    )
                )
        found = predict_faces(backend, present, info.fps, (start, stop), hears)
        for face_id, result in found.items():
            by_id[face_id].windows.append(result)
    return faces


@dataclass
class FaceInWindow:
    """What :func:`predict_faces` needs of one face over one window.

    Attributes:
        id (int): The face's track id.
        clip (str): Its face crops as a clip.
        audio (str | None): The sound over the same times as ``clip`` (None: none).
        num_frames (int): Frames in ``clip``.
        frames (tuple[int, int]): The window's ``[first, last)`` frames within ``clip``.
        activity (np.ndarray): ``[last - first]`` its mouth activity over them.
        envelope (np.ndarray): ``[last - first]`` the sound's energy over them.
    """

    id: int
    clip: str
    audio: str | None
    num_frames: int
    frames: tuple[int, int]
    activity: np.ndarray
    envelope: np.ndarray


def predict_faces(
    backend: InferenceBackend,
    faces: list[FaceInWindow],
    fps: float,
    span: tuple[int, int],
    hears: bool,
    voice_to: int | None = None,
) -> dict[int, FaceWindow]:
    """Each face's prediction over one window; the face that speaks gets the sound.

    Args:
        backend (InferenceBackend): A model that sees (:func:`as_backend`).
        faces (list[FaceInWindow]): The faces in the window.
        fps (float): Frames per second (frames -> seconds).
        span (tuple[int, int]): The window's frames ``[start, stop)`` in the video.
        hears (bool): Whether there is a sound and the model can use it.
        voice_to (int, optional): The face that gets the sound whatever the scores (a
            single-face run); None gives it to the clear speaker (:func:`speaker_of`).

    Returns:
        dict[int, FaceWindow]: By face id, in the order of ``faces``.
    """
    scores = {f.id: speaking_score(f.activity, f.envelope, fps) for f in faces}
    speaker = (voice_to if voice_to is not None else speaker_of(scores)) if hears else None
    classes = backend.classes
    found = {}
    for face in faces:
        modality = 'audio-visual' if face.id == speaker else 'video'
        inputs = dict(
            filename=face.clip,
            audio_path=face.audio,
            num_frames=face.num_frames,
            fps=fps,
            start_index=0,
            modality='RGB',
            frame_window=face.frames,
        )
        ((probabilities, _),) = backend.predict([backend.prepare(inputs)], modality)
        found[face.id] = FaceWindow(
            span[0] / fps,
            span[1] / fps,
            classes[int(np.argmax(probabilities))],
            [float(p) for p in probabilities],
            modality,
            round(scores[face.id], 4),
        )
    return found


def _cut_face(video, fps, face_id, first, boxes, margin, size, work_dir) -> TrackedFace:
    """Write one track's face crops as a clip; its mouth activity on the way."""
    path = osp.join(work_dir, f'face_{face_id}.mp4')
    frames = itertools.islice(iter_video_frames(video, fps), first, first + len(boxes))
    activity = write_face_crops(frames, boxes, margin, size, path, fps)
    return TrackedFace(face_id, first, boxes, path, activity, fps)


def write_face_crops(
    frames: Iterable[np.ndarray],
    boxes: np.ndarray,
    margin: float,
    size: int,
    path: str,
    fps: float,
) -> np.ndarray:
    """Crop one face out of its frames into a clip; its mouth activity ``[L]``.

    Args:
        frames (Iterable[np.ndarray]): ``L`` RGB frames ``[Y, X, 3]``, one per box.
        boxes (np.ndarray): ``[L, 3]`` centre x, centre y, side per frame.
        margin (float): Crop side against the face's.
        size (int): The clip's side.
        path (str): Where the clip goes (mp4).
        fps (float): Its frame rate.
    """
    crop_boxes = boxes * [1, 1, margin]
    side = float(np.median(crop_boxes[:, 2]))  # one size: no zoom that looks like speech
    patches = []

    def crops():
        for box, frame in zip(crop_boxes, frames, strict=False):
            patches.append(mouth_patch(frame, (float(box[0]), float(box[1])), side))
            yield crop_square(frame, box, size)

    write_av_clip(path, crops(), fps=fps)
    return mouth_activity(np.stack(patches))


def write_tracks_json(faces: list[TrackedFace], path: str) -> None:
    """``tracks.json``: per face its ``id``, ``boxes`` ``[frame, x, y, w, h]`` and
    ``windows`` (``start``, ``end``, ``label``, ``scores``, ``modality``, ``speaking``)."""
    tracks = []
    for face in faces:
        boxes = [
            [face.first + i, *(round(float(v), 1) for v in (cx - s / 2, cy - s / 2, s, s))]
            for i, (cx, cy, s) in enumerate(face.boxes)
        ]
        windows = [vars(w) for w in face.windows]
        tracks.append(dict(id=face.id, boxes=boxes, windows=windows))
    os.makedirs(osp.dirname(osp.abspath(path)), exist_ok=True)
    with open(path, 'w') as fh:
        json.dump(dict(tracks=tracks), fh, indent=1)


def write_windows_csv(faces: list[TrackedFace], classes: tuple[str, ...], path: str) -> None:
    """``windows.csv``: one row per face and window, one column per class's score."""
    os.makedirs(osp.dirname(osp.abspath(path)), exist_ok=True)
    with open(path, 'w', newline='') as fh:
        writer = csv.writer(fh)
        writer.writerow(['id', 'start', 'end', 'label', 'modality', 'speaking', *classes])
        for face in faces:
            for w in face.windows:
                row = [face.id, f'{w.start:.3f}', f'{w.end:.3f}', w.label, w.modality]
                writer.writerow([*row, w.speaking, *(f'{p:.4f}' for p in w.scores)])
