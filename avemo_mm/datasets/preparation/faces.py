"""Face tracking and cropping for the face cache.

Detectors (nothing is downloaded): OpenCV's Haar cascades, which ship inside the
``opencv-python`` / ``opencv-contrib-python`` wheels (``face_detector.py``), and dlib's
CNN detector (``cnn_face_detector.py``). The strict cascade runs on every
``detect_every``-th frame; where it finds a face in fewer than ``retry_below`` of those
frames, the second look (the CNN, or the permissive cascades) looks at them again. The
boxes are linked into tracks (``face_tracks.py``) and the face seen most often is the
clip's; its boxes in between are interpolated, then centre and size are smoothed over
time with a moving average, so the crop does not jitter.

**Decision** (fallback): when no face is found in a whole clip, the crop is the
centred square of side ``fallback_fraction * min(H, W)``, and the clip is counted as
``face_fallback`` in the preparation report. Frames without a detection inside a clip
that has some take the interpolated (or nearest) box.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

import cv2
import numpy as np

from ...utils.av_writer import write_av_clip
from ...utils.media import iter_video_frames
from .cnn_face_detector import CnnFaceDetector
from .face_alignment import EyeAligner, crop_rotated
from .face_detector import PERMISSIVE, STRICT, HaarFaceDetector
from .face_tracks import centre_side, continuous_boxes, link_tracks, main_track


class FaceTracker:
    """Find one face box per frame of a clip: the face seen most often.

    Args:
        detect_every (int): Run the detector on every n-th frame. Defaults to ``3``.
        detect_width (int): Width the frame is downscaled to for detection.
            Defaults to ``320``.
        smooth_window (int): Frames in the moving average of box centre and size.
            Defaults to ``9``.
        margin (float): Crop side = ``margin`` x detected box side (Haar boxes are
            tight around eyes and mouth). Defaults to ``1.3``.
        fallback_fraction (float): Side of the centre crop used when no face is found,
            as a fraction of the shorter frame side. Defaults to ``0.8``.
        retry_below (float): Look again when the strict cascade finds a face in fewer
            than this share of the frames it looked at (``0`` never). Defaults to ``0.5``.
        second_look (str): Who looks again: ``'cnn'`` (dlib's CNN detector) or
            ``'haar'`` (the permissive cascades). Defaults to ``'cnn'``.
        second_look_every (int): The second look sees every n-th of the frames the
            strict cascade saw (the CNN costs about 0.4 s a frame on one core; every
            9th frame is still within the tracks' 15-frame gaps). Defaults to ``3``.
    """

    def __init__(
        self,
        detect_every: int = 3,
        detect_width: int = 320,
        smooth_window: int = 9,
        margin: float = 1.3,
        fallback_fraction: float = 0.8,
        retry_below: float = 0.5,
        second_look: str = 'cnn',
        second_look_every: int = 3,
    ) -> None:
        self.detect_every = detect_every
        self.smooth_window = smooth_window
        self.margin = margin
        self.fallback_fraction = fallback_fraction
        self.retry_below = retry_below
        self.second_look_every = second_look_every
        self.detector = HaarFaceDetector(replace(STRICT, detect_width=detect_width))
        self.retry = _second_look(second_look, detect_width) if retry_below > 0 else None
        # the same downscaled frame for both when they look at the same image
        self.shared_view = self.retry is not None and self.retry.same_view(self.detector)

    def detect(self, frame: np.ndarray) -> np.ndarray | None:
        """The largest face in an RGB frame as ``[cx, cy, side]`` pixels, or None."""
        boxes = self.detector.detect(frame)
        return centre_side(boxes[0]) if len(boxes) else None

    def track(self, frames: Iterable[np.ndarray]) -> tuple[np.ndarray, float]:
        """Square crop boxes for every frame of a clip.

        Frames are consumed one by one and only every ``detect_every``-th is kept
        (downscaled, as the second look sees it), so a long 720p clip never sits in
        memory.

        Args:
            frames (Iterable[np.ndarray]): ``V`` RGB frames ``[Y, X, 3]``, in order.

        Returns:
            tuple[np.ndarray, float]: Boxes ``[V, 3]`` (centre x, centre y, side) and
            the fraction of detector runs that found the clip's face (0.0 means
            fallback).
        """
        detections, kept, num, height, width = {}, [], 0, 0, 0
        for t, frame in enumerate(frames):
            num, (height, width) = t + 1, frame.shape[:2]
            if t % self.detect_every == 0:
                image, scale = self.detector.view(frame)
                detections[t] = self.detector.detect_view(image, scale)
                for_second_look = (len(detections) - 1) % self.second_look_every == 0
                if self.retry is not None and for_second_look:
                    kept.append(
                        (t, image, scale) if self.shared_view else (t, *self.retry.view(frame))
                    )
        if num == 0:
            raise ValueError('no frames to track')
        found, looked = _main_face(detections), len(detections)
        if self.retry is not None and len(found) < self.retry_below * looked:
            # the second look's face that the strict cascade also saw wins
            second = _main_face({t: self.retry.detect_view(v, s) for t, v, s in kept}, detections)
            # a face seen once or twice in a clip is more likely clutter than a person
            if len(second) / len(kept) > len(found) / looked and len(second) >= max(
                2, 0.1 * len(kept)
            ):
                found, looked = second, len(kept)
        if not found:
            side = self.fallback_fraction * min(height, width)
            return np.tile([width / 2, height / 2, side], (num, 1)), 0.0
        boxes = continuous_boxes(found, 0, num, self.smooth_window)
        boxes[:, 2] *= self.margin
        return boxes, len(found) / looked


def _second_look(name: str, detect_width: int) -> CnnFaceDetector | HaarFaceDetector:
    """The detector that looks again where the strict cascade found too little."""
    if name == 'cnn':
        return CnnFaceDetector(detect_width=detect_width)
    if name == 'haar':
        return HaarFaceDetector(PERMISSIVE)
    raise ValueError(f"second_look must be 'cnn' or 'haar', not {name!r}")


def _main_face(
    detections: dict[int, np.ndarray], confirmed: dict[int, np.ndarray] | None = None
) -> dict[int, np.ndarray]:
    """Frame -> ``[cx, cy, side]`` of the clip's face in ``detections`` (``main_track``)."""
    track = main_track(link_tracks(detections), confirmed)
    return {} if track is None else {t: centre_side(b) for t, b in track.boxes.items()}


def crop_square(frame: np.ndarray, box: np.ndarray, size: int) -> np.ndarray:
    """Crop the square ``box`` (cx, cy, side) from ``frame`` and resize to ``size``.

    Parts of the box outside the frame are filled by replicating the border, so a
    face at the edge keeps its position in the crop.
    """
    cx, cy, side = box
    half = side / 2
    x0, y0 = int(round(cx - half)), int(round(cy - half))
    x1, y1 = x0 + int(round(side)), y0 + int(round(side))
    height, width = frame.shape[:2]
    pad = max(0, -x0, -y0, x1 - width, y1 - height)
    if pad:
        frame = cv2.copyMakeBorder(frame, pad, pad, pad, pad, cv2.BORDER_REPLICATE)
        x0, y0, x1, y1 = x0 + pad, y0 + pad, x1 + pad, y1 + pad
    return cv2.resize(frame[y0:y1, x0:x1], (size, size), interpolation=cv2.INTER_AREA)


def write_face_clip(
    video: str,
    out_path: str,
    face_size: int,
    fps: float,
    tracker: FaceTracker,
    crf: int = 18,
    aligner: EyeAligner | None = None,
) -> tuple[np.ndarray, float]:
    """Track the face through ``video`` and write its square crops as an H.264 clip.

    The same path for the preparation tool's face cache and for inference on a
    user's video, so both see identically made faces.

    Args:
        video (str): Any file PyAV decodes.
        out_path (str): Output ``.mp4`` (written atomically).
        face_size (int): Side of the crops in pixels.
        fps (float): Frame rate to write (the source's average): a variable-rate
            source is resampled to it by its timestamps.
        tracker (FaceTracker): The detector and smoother.
        crf (int): x264 quality. Defaults to ``18``.
        aligner (EyeAligner, optional): Turn each crop so that the eyes lie level
            (one more pass over the video); None crops the boxes as they are.
            Defaults to ``None``.

    Returns:
        tuple[np.ndarray, float]: Boxes ``[V, 3]`` (centre x, centre y, side) in the
        source's pixels, and the fraction of detector runs that found a face (0.0:
        no face anywhere, the centre-crop fallback).
    """
    # both passes resample to a constant fps: a variable-rate video's cache lines up
    # with its audio
    boxes, detect_rate = tracker.track(iter_video_frames(video, fps))
    if aligner is not None and detect_rate > 0:
        angles = aligner.angles(iter_video_frames(video, fps), boxes)
        crop = lambda t, frame: crop_rotated(frame, boxes[t], angles[t], face_size)  # noqa: E731
    else:
        crop = lambda t, frame: crop_square(frame, boxes[t], face_size)  # noqa: E731
    frames = iter_video_frames(video, fps)
    # one frame at a time: a long video never sits in memory
    crops = (crop(min(t, len(boxes) - 1), frame) for t, frame in enumerate(frames))
    write_av_clip(out_path, crops, fps=fps, crf=crf)
    return boxes, detect_rate
