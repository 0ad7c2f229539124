"""Face tracking and cropping for the face cache.

Detector: OpenCV's Haar cascade ``haarcascade_frontalface_default.xml``, which ships
inside the ``opencv-python`` / ``opencv-contrib-python`` wheels (nothing is
downloaded). It runs on a downscaled grey frame every ``detect_every`` frames; the
boxes in between are interpolated, then centre and size are smoothed over time with
a moving average, so the crop does not jitter.

**Decision** (fallback): when no face is found in a whole clip, the crop is the
centred square of side ``fallback_fraction * min(H, W)``, and the clip is counted as
``face_fallback`` in the preparation report. Frames without a detection inside a clip
that has some take the interpolated (or nearest) box.
"""

from __future__ import annotations

from collections.abc import Iterable

import cv2
import numpy as np

from ...utils.av_writer import write_av_clip
from ...utils.media import iter_video_frames


class FaceTracker:
    """Find one face box per frame of a clip.

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
    """

    def __init__(
        self,
        detect_every: int = 3,
        detect_width: int = 320,
        smooth_window: int = 9,
        margin: float = 1.3,
        fallback_fraction: float = 0.8,
    ) -> None:
        self.detect_every = detect_every
        self.detect_width = detect_width
        self.smooth_window = smooth_window
        self.margin = margin
        self.fallback_fraction = fallback_fraction
        path = cv2.data.haarcascades + 'haarcascade_frontalface_default.xml'
        self.detector = cv2.CascadeClassifier(path)
        if self.detector.empty():
            raise RuntimeError(f'OpenCV could not load its Haar cascade {path}')

    def detect(self, frame: np.ndarray) -> np.ndarray | None:
        """The largest face in an RGB frame as ``[cx, cy, side]`` pixels, or None."""
        height, width = frame.shape[:2]
        scale = min(1.0, self.detect_width / width)
        small = cv2.resize(frame, (int(width * scale), int(height * scale)))
        gray = cv2.equalizeHist(cv2.cvtColor(small, cv2.COLOR_RGB2GRAY))
        min_side = max(20, int(0.1 * min(gray.shape)))
        faces = self.detector.detectMultiScale(gray, 1.1, 4, minSize=(min_side, min_side))
        if len(faces) == 0:
            return None
        # the largest; of equal ones the top-left, so that the pick never depends on the
        # order in which the detector's threads returned them
        x, y, w, h = max(faces, key=lambda f: (f[2] * f[3], -f[1], -f[0]))
        return np.array([x + w / 2, y + h / 2, max(w, h)], dtype=np.float64) / scale

    def track(self, frames: Iterable[np.ndarray]) -> tuple[np.ndarray, float]:
        """Square crop boxes for every frame of a clip.

        Frames are consumed one by one and only every ``detect_every``-th is kept
        (downscaled, inside the detector), so a long 720p clip never sits in memory.

        Args:
            frames (Iterable[np.ndarray]): ``V`` RGB frames ``[Y, X, 3]``, in order.

        Returns:
            tuple[np.ndarray, float]: Boxes ``[V, 3]`` (centre x, centre y, side) and
            the fraction of detector runs that found a face (0.0 means fallback).
        """
        found, num, runs, height, width = {}, 0, 0, 0, 0
        for t, frame in enumerate(frames):
            num, (height, width) = t + 1, frame.shape[:2]
            if t % self.detect_every == 0:
                runs += 1
                box = self.detect(frame)
                if box is not None:
                    found[t] = box
        if num == 0:
            raise ValueError('no frames to track')
        if not found:
            side = self.fallback_fraction * min(height, width)
            return np.tile([width / 2, height / 2, side], (num, 1)), 0.0
        known = np.array(sorted(found))
        values = np.stack([found[t] for t in known])  # [K, 3]
        timeline = np.arange(num)
        boxes = np.stack([np.interp(timeline, known, values[:, i]) for i in range(3)], axis=1)
        boxes = _moving_average(boxes, self.smooth_window)
        boxes[:, 2] *= self.margin
        return boxes, len(found) / runs


def _moving_average(values: np.ndarray, window: int) -> np.ndarray:
    """Centred moving average along axis 0, edges padded with the edge value."""
    if window <= 1 or len(values) < 2:
        return values
    half = window // 2
    padded = np.pad(values, ((half, half), (0, 0)), mode='edge')
    kernel = np.ones(window) / window
    return np.stack(
        [np.convolve(padded[:, i], kernel, mode='valid') for i in range(values.shape[1])], axis=1
    )[: len(values)]


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
    video: str, out_path: str, face_size: int, fps: float, tracker: FaceTracker, crf: int = 18
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

    Returns:
        tuple[np.ndarray, float]: Boxes ``[V, 3]`` (centre x, centre y, side) in the
        source's pixels, and the fraction of detector runs that found a face (0.0:
        no face anywhere, the centre-crop fallback).
    """
    # both passes resample to a constant fps: a variable-rate video's cache lines up
    # with its audio
    boxes, detect_rate = tracker.track(iter_video_frames(video, fps))
    crops = (  # one frame at a time: a long video never sits in memory
        crop_square(frame, boxes[min(t, len(boxes) - 1)], face_size)
        for t, frame in enumerate(iter_video_frames(video, fps))
    )
    write_av_clip(out_path, crops, fps=fps, crf=crf)
    return boxes, detect_rate
