"""Link per-frame face detections into tracks: one track a person while in view."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import linear_sum_assignment

from .face_detector import box_iou


@dataclass
class FaceTrack:
    """One face over time.

    Attributes:
        boxes (dict[int, np.ndarray]): Frame index -> box ``[4]`` (x, y, w, h) where the
            detector found this face, in frame order.
    """

    boxes: dict[int, np.ndarray] = field(default_factory=dict)
    blind: int = 0  # the tracker's frames not looked at, as of this track's latest box

    @property
    def last_frame(self) -> int:
        return next(reversed(self.boxes))  # boxes are added in frame order

    @property
    def last_box(self) -> np.ndarray:
        return self.boxes[self.last_frame]

    @property
    def mean_area(self) -> float:
        return float(np.mean([b[2] * b[3] for b in self.boxes.values()]))


class TrackLinker:
    """Link face boxes into tracks frame by frame, by IoU and an optimal assignment.

    Each frame's boxes are matched to the tracks seen within the last ``max_gap`` frames
    by the assignment that maximises the summed IoU with each track's latest box
    (``scipy.optimize.linear_sum_assignment``); a pair below ``min_iou`` is no match,
    and an unmatched box starts a track. Frames must come in increasing order; a live
    source feeds them as they are detected, :func:`link_tracks` a whole clip.

    Args:
        min_iou (float): Least overlap of a box with a track's latest box to continue
            it. Defaults to ``0.2``.
        max_gap (int): Frames a track may go without a detection and still continue.
            Defaults to ``15``.
    """

    def __init__(self, min_iou: float = 0.2, max_gap: int = 15) -> None:
        self.min_iou, self.max_gap = min_iou, max_gap
        self.tracks: list[FaceTrack] = []  # in the order they started
        self.blind = 0  # frames passed over without looking (:meth:`skip`)

    def skip(self, frames: int) -> None:
        """``frames`` frames go by unseen (a live run skipped them): they are no gap."""
        self.blind += frames

    def gap(self, track: FaceTrack, t: int) -> int:
        """Frames looked at since ``track`` was last seen, up to frame ``t``."""
        return t - track.last_frame - (self.blind - track.blind)

    def update(self, t: int, boxes: np.ndarray) -> list[int]:
        """Add frame ``t``'s boxes ``[F, 4]`` (x, y, w, h); each box's track index."""
        active = [i for i, track in enumerate(self.tracks) if self.gap(track, t) <= self.max_gap]
        owner = [-1] * len(boxes)
        if active and len(boxes):
            latest = np.stack([self.tracks[i].last_box for i in active])
            iou = box_iou(latest, boxes)
            for row, col in zip(*linear_sum_assignment(-iou), strict=True):
                if iou[row, col] >= self.min_iou:
                    self.tracks[active[row]].boxes[t] = boxes[col]
                    self.tracks[active[row]].blind = self.blind
                    owner[col] = active[row]
        for col in range(len(boxes)):
            if owner[col] < 0:
                owner[col] = len(self.tracks)
                self.tracks.append(FaceTrack({t: boxes[col]}, self.blind))
        return owner


def link_tracks(
    detections: dict[int, np.ndarray], min_iou: float = 0.2, max_gap: int = 15
) -> list[FaceTrack]:
    """Tracks from the boxes found per frame of a whole clip (see :class:`TrackLinker`).

    Args:
        detections (dict[int, np.ndarray]): Frame index -> boxes ``[F, 4]`` (x, y, w, h);
            frames looked at without a face map to an empty ``[0, 4]``.
        min_iou (float): See :class:`TrackLinker`. Defaults to ``0.2``.
        max_gap (int): See :class:`TrackLinker`. Defaults to ``15``.

    Returns:
        list[FaceTrack]: In the order they started.
    """
    tracker = TrackLinker(min_iou, max_gap)
    for t in sorted(detections):
        tracker.update(t, detections[t])
    return tracker.tracks


def main_track(
    tracks: list[FaceTrack], confirmed: dict[int, np.ndarray] | None = None
) -> FaceTrack | None:
    """The clip's face: the track seen most often (of equal counts the larger, then the first).

    Args:
        tracks (list[FaceTrack]): From :func:`link_tracks`.
        confirmed (dict[int, np.ndarray], optional): Frame -> boxes ``[F, 4]`` from a
            surer detector; then the track that these boxes overlap (IoU > 0.3) in the
            most frames wins first, so that a permissive detector's false face seen
            often cannot outvote the face the sure one saw. Defaults to ``None``.
    """
    if not tracks:
        return None

    def support(track: FaceTrack) -> int:
        if confirmed is None:
            return 0
        return sum(
            len(confirmed.get(t, ())) > 0 and box_iou(box[None], confirmed[t]).max() > 0.3
            for t, box in track.boxes.items()
        )

    return max(tracks, key=lambda track: (support(track), len(track.boxes), track.mean_area))


def centre_side(box: np.ndarray) -> np.ndarray:
    """``(x, y, w, h)`` -> ``[cx, cy, side]``, the side the longer of w and h."""
    x, y, w, h = box
    return np.array([x + w / 2, y + h / 2, max(w, h)], dtype=np.float64)


def continuous_boxes(
    found: dict[int, np.ndarray], first: int, stop: int, smooth_window: int
) -> np.ndarray:
    """One box a frame from the frames where a face was found.

    Args:
        found (dict[int, np.ndarray]): Frame -> ``[cx, cy, side]``.
        first (int): First frame to give a box.
        stop (int): One past the last.
        smooth_window (int): Frames in the centred moving average of centre and side
            (so that the crop does not jitter).

    Returns:
        np.ndarray: ``[stop - first, 3]``: linear interpolation between the detections
        (the nearest one before the first and after the last), then smoothed.
    """
    known = np.array(sorted(found))
    values = np.stack([found[t] for t in known])  # [K, 3]
    timeline = np.arange(first, stop)
    boxes = np.stack([np.interp(timeline, known, values[:, i]) for i in range(3)], axis=1)
    return moving_average(boxes, smooth_window)


def moving_average(values: np.ndarray, window: int) -> np.ndarray:
    """Centred moving average along axis 0, edges padded with the edge value."""
    if window <= 1 or len(values) < 2:
        return values
    half = window // 2
    padded = np.pad(values, ((half, half), (0, 0)), mode='edge')
    kernel = np.ones(window) / window
    return np.stack(
        [np.convolve(padded[:, i], kernel, mode='valid') for i in range(values.shape[1])], axis=1
    )[: len(values)]
