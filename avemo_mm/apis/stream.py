"""Emotion predictions from a live source as it plays: every face, with the sound.

:class:`~avemo_mm.apis.live_reader.LiveReader` reads pictures and sound through PyAV.
Every ``hop`` seconds of stream time the last ``window`` seconds are cut out of both;
faces are found on every ``detect_every``-th frame as the windows come and linked into
tracks that keep their ids across windows (``TrackLinker``); each face's crops and the
window's sound go through the config's own test pipeline
(:func:`~avemo_mm.apis.all_faces.predict_faces`), the face that speaks getting the
sound. One face (the one seen most in the window) unless ``all_faces``.

Real time: on a live source the reader never waits. When a prediction takes longer
than the hop, the windows that became due meanwhile are skipped (counted in
``LiveWindow.skipped``) and the newest one is predicted, so the output never falls
behind the source. A finished file is read paced, every window predicted.
"""

from __future__ import annotations

import json
import os
import os.path as osp
import tempfile
import time
import warnings
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from ..datasets.preparation.face_detector import HaarFaceDetector
from ..datasets.preparation.face_tracks import TrackLinker, centre_side, continuous_boxes
from ..utils.av_writer import write_av_clip
from ..utils.media import MediaError, write_wav
from .all_faces import (
    FaceInWindow,
    FaceWindow,
    TrackedFace,
    predict_faces,
    write_face_crops,
)
from .backend import InferenceBackend, as_backend
from .live_reader import LiveReader, LiveSource, Window
from .results import InferenceWarning
from .speaking import audio_envelope
from .video_preparation import AUDIO_RATE

if TYPE_CHECKING:  # annotations only: the API runs without PyTorch
    import torch


@dataclass
class LiveFace:
    """One face's (or the voice's) prediction in a window.

    Attributes:
        id (int | None): The face's track id; None for the voice alone (no face seen).
        box (list[float]): ``[x, y, w, h]`` of the face in the window's last frame
            (empty for the voice alone).
        prediction (FaceWindow): Label, scores, modality and speaking score.
        first_frame (int): The stream's frame (``seconds * fps``) of ``boxes[0]``.
        boxes (np.ndarray): ``[L, 3]`` centre x, centre y and side of the face in each
            frame of the window it was in (empty for the voice alone).
    """

    id: int | None
    box: list[float]
    prediction: FaceWindow
    first_frame: int = 0
    boxes: np.ndarray = field(default_factory=lambda: np.zeros((0, 3)))


@dataclass
class LiveWindow:
    """One window of a live run.

    Attributes:
        index (int): Windows since the start, skipped ones included.
        fps (float): The frame grid's rate (stream frames per second).
        start (float): Stream seconds (0 at the first frame).
        end (float): Stream seconds.
        latency_ms (float): From the arrival of the window's last sample to its
            prediction.
        compute_ms (float): The prediction's own time (faces, crops, model).
        skipped (int): Windows skipped just before this one (inference was slower than
            the hop).
        faces (list[LiveFace]): By id.
        notes (list[str]): What happened to the source since the previous window (what
            happens after the last window is issued as an ``InferenceWarning``).
    """

    index: int
    fps: float
    start: float
    end: float
    latency_ms: float
    compute_ms: float
    skipped: int
    faces: list[LiveFace] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> str:
        """One ``live.jsonl`` line (schema in ``docs/live.md``)."""
        faces = [
            dict(id=f.id, box=[round(v, 1) for v in f.box], **asdict(f.prediction))
            for f in self.faces
        ]
        for face in faces:
            del face['start'], face['end']  # the window's
            face['scores'] = [round(p, 5) for p in face['scores']]
        record = dict(
            window=self.index,
            start=round(self.start, 3),
            end=round(self.end, 3),
            latency_ms=round(self.latency_ms, 1),
            compute_ms=round(self.compute_ms, 1),
            skipped=self.skipped,
            faces=faces,
            notes=self.notes,
        )
        return json.dumps(record)


def live_tracks(windows: list[LiveWindow]) -> list[TrackedFace]:
    """Each face of a live run as one track, for ``write_tracks_json``, ``write_windows_csv``
    and ``write_all_faces_video``.

    A frame's box is the one from the latest window that saw it; frames between windows
    (skipped ones) are interpolated. Windows of the voice alone are left out.

    Args:
        windows (list[LiveWindow]): From :func:`stream_predictions`, in order.

    Returns:
        list[TrackedFace]: By id (``face_clip`` empty: each window had its own).
    """
    seen: dict[int, dict[int, np.ndarray]] = {}
    predictions: dict[int, list[FaceWindow]] = {}
    for window in windows:
        for face in window.faces:
            if face.id is None:
                continue
            boxes = seen.setdefault(face.id, {})
            boxes.update({face.first_frame + i: box for i, box in enumerate(face.boxes)})
            predictions.setdefault(face.id, []).append(face.prediction)
    fps = windows[0].fps if windows else 25.0
    tracks = []
    for face_id in sorted(seen):
        first, stop = min(seen[face_id]), max(seen[face_id]) + 1
        boxes = continuous_boxes(seen[face_id], first, stop, smooth_window=1)
        activity = np.zeros(0)  # the windows' own
        tracks.append(TrackedFace(face_id, first, boxes, '', activity, fps, predictions[face_id]))
    return tracks


def stream_predictions(
    model: torch.nn.Module | InferenceBackend,
    source: LiveSource | str,
    window: float = 4.0,
    hop: float = 1.0,
    max_seconds: float | None = None,
    all_faces: bool = False,
    live: bool | None = None,
    detect_every: int = 3,
    margin: float = 1.3,
    open_timeout: float = 10.0,
    read_timeout: float = 5.0,
    grace: float = 2.0,
    record: str | None = None,
) -> Iterator[LiveWindow]:
    """Predict every ``hop`` seconds of stream time from the last ``window`` seconds.

    Args:
        model: From :func:`~avemo_mm.apis.init_model`, or an exported model
            (:class:`avemo_mm.deploy.OnnxRecognizer`).
        source (LiveSource | str): What to read; a string is a file or URL.
        window (float): Seconds per prediction. Defaults to ``4.0``.
        hop (float): Seconds between predictions. Defaults to ``1.0``.
        max_seconds (float, optional): Stop after this much stream time; None runs
            until the source ends.
        all_faces (bool): Every face under its id; otherwise the face seen most in the
            window. Defaults to ``False``.
        live (bool, optional): Skip stale windows (a live source) or predict every one
            (a file); None decides by the source.
        detect_every (int): Look for faces on every n-th frame. Defaults to ``3``.
        margin (float): Crop side against the detected face's. Defaults to ``1.3``.
        open_timeout (float): Seconds to open the source. Defaults to ``10``.
        read_timeout (float): Seconds without data before the source counts as
            stalled and the run ends. Defaults to ``5``.
        grace (float): Seconds one modality may lag behind the other before a window
            goes on without it. Defaults to ``2``.
        record (str, optional): Also write the source's packets, as received, to this
            ``.mkv`` (no re-encoding), so that a live run can be annotated afterwards
            (:func:`live_tracks`, ``write_all_faces_video``). Defaults to ``None``.

    Yields:
        LiveWindow: As each is predicted.

    Raises:
        MediaError: The source cannot be opened (the message names it), or the model
            needs a modality the source does not have.
    """
    if window <= 0 or hop <= 0:
        raise ValueError(f'window and hop must be > 0 s, got {window}, {hop}')
    source = LiveSource(source) if isinstance(source, str) else source
    backend = as_backend(model)
    trained = backend.modality
    keep = window + 2 * hop + grace + 2
    reader = LiveReader(
        source, AUDIO_RATE, None, live, open_timeout, read_timeout, keep, record=record
    )
    with reader, tempfile.TemporaryDirectory(prefix='avemo_live_') as tmp:
        if trained == 'audio' and not reader.has_audio:
            raise MediaError(f'{source}: no audio stream, and the model is audio-only')
        if trained == 'video' and not reader.has_video:
            raise MediaError(f'{source}: no video stream, and the model is video-only')
        predictor = _WindowPredictor(backend, reader.fps, detect_every, margin, all_faces, tmp)
        yield from _windows(reader, predictor, window, hop, max_seconds, grace)


def _windows(reader: LiveReader, predictor, window, hop, max_seconds, grace):
    needs_video = predictor.sees and reader.has_video
    needs_audio = predictor.hears and reader.has_audio
    index, skipped, told = 0, 0, 0
    missing = {'video': False, 'audio': False}
    while max_seconds is None or window + index * hop <= max_seconds + 1e-6:
        end = window + index * hop
        state = _wait_for(reader, end, needs_video, needs_audio, grace)
        if state == 'over':
            break
        if reader.live:  # the newest window already due: skip the stale ones
            newest = _newest_due(reader, end, hop, needs_video, needs_audio, max_seconds)
            skipped += newest
            index += newest
            end = window + index * hop
        cut = reader.window(end - window, end, needs_video, needs_audio)
        notes = []
        for kind, got, needed in (
            ('video', cut.frames, needs_video),
            ('audio', cut.audio, needs_audio),
        ):
            if needed and (got is None) != missing[kind]:
                missing[kind] = got is None
                what = 'the pictures' if kind == 'video' else 'the sound'
                notes.append(
                    f'{reader.source}: {what} {"missing" if got is None else "back"} '
                    f'at {end - window:.1f} s'
                )
        notes = reader.messages[told:] + notes
        told = len(reader.messages)
        began = time.monotonic()
        faces = predictor.predict(cut, index)
        done = time.monotonic()
        latency, compute = (done - cut.arrived) * 1000, (done - began) * 1000
        yield LiveWindow(
            index, reader.fps, cut.start, cut.end, latency, compute, skipped, faces, notes
        )
        skipped = 0
        reader.consumed(end - window + hop)
        index += 1
    for note in reader.messages[told:]:  # after the last window: how the run ended
        warnings.warn(note, InferenceWarning, stacklevel=3)


def _wait_for(reader: LiveReader, end, needs_video, needs_audio, grace) -> str:
    """Until the window ending at ``end`` can be cut: ``'ready'`` or ``'over'``."""
    while True:
        video_in = not needs_video or reader.video_end >= end - 1e-6
        audio_in = not needs_audio or reader.audio_end >= end - 1e-6
        if video_in and audio_in:
            return 'ready'
        # one modality far ahead of the other, or ended: go on without the other
        if video_in and (reader.audio_ended or reader.video_end >= end + grace):
            return 'ready'
        if audio_in and (reader.video_ended or reader.audio_end >= end + grace):
            return 'ready'
        if reader.ended:
            return 'over'
        if reader.stalled_for > reader.read_timeout + 2:  # a watchdog over PyAV's timeout
            reader.messages.append(
                f'{reader.source}: no data for {reader.stalled_for:.0f} s (stalled); stopping'
            )
            return 'over'
        reader.wait(0.2)


def _newest_due(reader, end, hop, needs_video, needs_audio, max_seconds) -> int:
    """How many windows after the one ending at ``end`` are already complete."""
    later = 0
    while max_seconds is None or end + (later + 1) * hop <= max_seconds + 1e-6:
        due = end + (later + 1) * hop
        if (needs_video and reader.video_end < due) or (needs_audio and reader.audio_end < due):
            break
        later += 1
    return later


class _WindowPredictor:
    """Faces found and tracked across windows, each predicted through the test pipeline."""

    def __init__(self, backend, fps, detect_every, margin, all_faces, work_dir) -> None:
        self.backend, self.fps, self.margin = backend, fps, margin
        self.all_faces, self.work_dir = all_faces, work_dir
        self.detect_every = detect_every
        self.size = backend.face_size
        self.min_frames = backend.snippet_len
        trained = backend.modality
        self.sees = trained in ('audio-visual', 'video')
        self.hears = trained in ('audio-visual', 'audio')
        self.detector = HaarFaceDetector()
        self.tracker = TrackLinker(max_gap=max(detect_every, int(round(0.5 * fps))))
        self.looked_at = -1  # the last frame-grid slot the detector saw
        self.ids: dict[int, int] = {}  # id() of a live track -> the id shown
        self.next_id = 1
        self.classes = backend.classes

    def predict(self, cut: Window, index: int) -> list[LiveFace]:
        faces = self._faces(cut) if cut.frames is not None else []
        if cut.audio is not None:
            audio_path = osp.join(self.work_dir, f'w{index}.wav')
            write_wav(audio_path, cut.audio, AUDIO_RATE)
        else:
            audio_path = None
        try:
            if not faces:
                return self._voice_alone(cut, audio_path, index)
            return self._predict_faces(cut, faces, audio_path, index)
        finally:
            for name in os.listdir(self.work_dir):
                os.remove(osp.join(self.work_dir, name))

    def _faces(self, cut: Window) -> list[tuple[int, int, np.ndarray]]:
        """``(id, first frame in the window, boxes [L, 3])`` of the faces to predict."""
        first, frames = cut.first_slot, cut.frames
        if first > self.looked_at + 1 >= 1:  # windows skipped: their frames were not seen
            self.tracker.skip(first - self.looked_at - 1)
        for slot in range(max(first, self.looked_at + 1), first + len(frames)):
            if slot % self.detect_every == 0:
                self.tracker.update(slot, self.detector.detect(frames[slot - first]))
            self.looked_at = slot
        stop = first + len(frames)
        self._forget_before(first)
        found = []
        for track in self.tracker.tracks:
            seen = {t: centre_side(b) for t, b in track.boxes.items() if first <= t < stop}
            if len(seen) < 2:  # one look is no track (a false face in the clutter)
                continue
            begin = min(seen)
            until = min(stop, max(seen) + self.detect_every)
            if until - begin < self.min_frames:
                continue
            boxes = continuous_boxes(seen, begin, until, smooth_window=9)
            found.append((id(track), begin - first, boxes))
        # ids by first appearance, faces that appear together from left to right
        for face in sorted(found, key=lambda f: (f[1], f[2][0, 0])):
            if face[0] not in self.ids:
                self.ids[face[0]] = self.next_id
                self.next_id += 1
        found = sorted((self.ids[key], begin, boxes) for key, begin, boxes in found)
        if not self.all_faces and found:
            found = [max(found, key=lambda face: (len(face[2]), face[2][:, 2].mean()))]
        return found

    def _forget_before(self, slot: int) -> None:
        """Drop what no window will need again: a run of hours stays the same size."""
        alive = []
        for track in self.tracker.tracks:
            if self.tracker.gap(track, slot) <= self.tracker.max_gap:
                for t in [t for t in track.boxes if t < min(slot, track.last_frame)]:
                    del track.boxes[t]  # the track goes on from its latest box
                alive.append(track)
            else:
                self.ids.pop(id(track), None)  # it cannot continue: its id is done
        self.tracker.tracks = alive

    def _predict_faces(self, cut, faces, audio_path, index) -> list[LiveFace]:
        envelope = (
            audio_envelope(cut.audio, AUDIO_RATE, self.fps, len(cut.frames))
            if cut.audio is not None
            else np.zeros(len(cut.frames))
        )
        inputs, boxes, frame_boxes = [], {}, {}
        for face_id, begin, face_boxes in faces:
            frame_boxes[face_id] = (cut.first_slot + begin, face_boxes)
            length = len(face_boxes)
            clip = osp.join(self.work_dir, f'w{index}_face{face_id}.mp4')
            frames = cut.frames[begin : begin + length]
            activity = write_face_crops(frames, face_boxes, self.margin, self.size, clip, self.fps)
            face_audio = None
            if audio_path is not None:  # the sound over the face's own frames
                face_audio = osp.join(self.work_dir, f'w{index}_face{face_id}.wav')
                lo = round(begin / self.fps * AUDIO_RATE)
                hi = lo + round(length / self.fps * AUDIO_RATE)
                write_wav(face_audio, cut.audio[lo:hi], AUDIO_RATE)
            sound = envelope[begin : begin + length]
            inputs.append(
                FaceInWindow(face_id, clip, face_audio, length, (0, length), activity, sound)
            )
            cx, cy, side = face_boxes[-1]
            boxes[face_id] = [cx - side / 2, cy - side / 2, side, side]
        hears = self.hears and audio_path is not None
        voice_to = None if self.all_faces else faces[0][0]
        span = (round(cut.start * self.fps), round(cut.end * self.fps))
        found = predict_faces(self.backend, inputs, self.fps, span, hears, voice_to)
        return [
            LiveFace(face_id, boxes[face_id], found[face_id], *frame_boxes[face_id])
            for face_id in found
        ]

    def _voice_alone(self, cut, audio_path, index) -> list[LiveFace]:
        """No face in the window: the voice alone, if the model hears and there is one."""
        if audio_path is None or not self.hears:
            return []
        length = max(self.min_frames, int(round((cut.end - cut.start) * self.fps)))
        blank = osp.join(self.work_dir, f'w{index}_blank.mp4')
        # the model zeroes the pictures when it runs on the voice alone
        write_av_clip(blank, np.zeros((length, self.size, self.size, 3), np.uint8), self.fps)
        inputs = dict(
            filename=blank,
            audio_path=audio_path,
            num_frames=length,
            fps=self.fps,
            start_index=0,
            modality='RGB',
            frame_window=(0, length),
        )
        ((probabilities, _),) = self.backend.predict([self.backend.prepare(inputs)], 'audio')
        prediction = FaceWindow(
            cut.start,
            cut.end,
            self.classes[int(np.argmax(probabilities))],
            [float(p) for p in probabilities],
            'audio',
            0.0,
        )
        return [LiveFace(None, [], prediction)]
