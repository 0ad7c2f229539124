"""Every face in a frame, from OpenCV's Haar cascades (they ship inside the cv2 wheel).

Two settings (``docs/method.md``, "Finding the face"):

- ``STRICT``: the frontal cascade ``haarcascade_frontalface_default.xml`` on the frame
  downscaled to at most 320 px wide, 4 neighbours. Few false faces; finds the faces of
  the clean corpus and of well-lit recordings in nearly every frame.
- ``PERMISSIVE``: that cascade and ``haarcascade_frontalface_alt2.xml`` together, with
  a border of a quarter of the frame's height replicated around it (a face cut by the
  frame's edge still matches), 3 neighbours. On the realistic synthetic corpus's
  hardest persons (side light, clutter, dark skin on a dark scene) it put a box on the
  face in 37% of the frames against the strict setting's 16% (upscaling small frames
  to 320 px added 2 points at 4 times the cost), at about five times the strict cost
  and with more false faces, which the tracks then outvote.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np


@dataclass(frozen=True)
class DetectorSettings:
    """How a :class:`HaarFaceDetector` looks for faces.

    Attributes:
        cascades (tuple[str, ...]): Cascade files under ``cv2.data.haarcascades``.
        detect_width (int): Width the frame is brought to before detection.
        upscale (bool): Also bring smaller frames up to ``detect_width``.
        pad (float): Border replicated around the frame, as a fraction of its height.
        scale_factor (float): The cascade's ``scaleFactor``: the step between the face
            sizes it tries (lower: finer and slower).
        min_neighbors (int): The cascade's ``minNeighbors`` (higher: fewer, surer faces).
        min_size (float): Smallest face side, as a fraction of the frame's shorter side.
    """

    cascades: tuple[str, ...] = ('haarcascade_frontalface_default.xml',)
    detect_width: int = 320
    upscale: bool = False
    pad: float = 0.0
    scale_factor: float = 1.1
    min_neighbors: int = 4
    min_size: float = 0.1


STRICT = DetectorSettings()
PERMISSIVE = DetectorSettings(
    cascades=('haarcascade_frontalface_default.xml', 'haarcascade_frontalface_alt2.xml'),
    pad=0.25,
    min_neighbors=3,
)


class HaarFaceDetector:
    """All faces in an RGB frame, as boxes in the frame's pixels.

    Args:
        settings (DetectorSettings): What to look with. Defaults to ``STRICT``.
    """

    def __init__(self, settings: DetectorSettings = STRICT) -> None:
        self.settings = settings
        self.cascades = []
        for name in settings.cascades:
            cascade = cv2.CascadeClassifier(cv2.data.haarcascades + name)
            if cascade.empty():
                raise RuntimeError(f'OpenCV could not load its Haar cascade {name}')
            self.cascades.append(cascade)

    def view(self, frame: np.ndarray) -> tuple[np.ndarray, float]:
        """The equalised grey image the cascades see, and its scale against ``frame``.

        Kept by the tracker instead of the frame when a clip may be looked at again.
        """
        height, width = frame.shape[:2]
        scale = self.settings.detect_width / width
        if not self.settings.upscale:
            scale = min(1.0, scale)
        small = cv2.resize(frame, (int(width * scale), int(height * scale)))
        return cv2.equalizeHist(cv2.cvtColor(small, cv2.COLOR_RGB2GRAY)), scale

    def same_view(self, other: object) -> bool:
        """Whether :meth:`view` gives ``other``'s image of any frame."""
        if not isinstance(other, HaarFaceDetector):
            return False
        mine, theirs = self.settings, other.settings
        return (mine.detect_width, mine.upscale) == (theirs.detect_width, theirs.upscale)

    def detect(self, frame: np.ndarray) -> np.ndarray:
        """Faces ``[F, 4]`` as ``(x, y, w, h)`` float64 in ``frame``'s pixels.

        Largest first; of equal ones the top-left first, so that the order never
        depends on the order in which OpenCV's threads returned them. A face at the
        frame's edge may reach outside it.
        """
        return self.detect_view(*self.view(frame))

    def detect_view(self, grey: np.ndarray, scale: float) -> np.ndarray:
        """:meth:`detect` on an image from :meth:`view` (``scale`` its scale)."""
        pad = int(round(self.settings.pad * grey.shape[0]))
        if pad:
            grey = cv2.copyMakeBorder(grey, pad, pad, pad, pad, cv2.BORDER_REPLICATE)
        side = max(20, int(self.settings.min_size * (min(grey.shape) - 2 * pad)))
        found = [
            cascade.detectMultiScale(
                grey, self.settings.scale_factor, self.settings.min_neighbors, minSize=(side, side)
            )
            for cascade in self.cascades
        ]
        boxes = np.concatenate([np.reshape(f, (-1, 4)) for f in found]).astype(np.float64)
        boxes[:, :2] -= pad
        return suppress_overlaps(boxes) / scale


def suppress_overlaps(boxes: np.ndarray, iou: float = 0.3, inside: float = 0.7) -> np.ndarray:
    """Boxes ``[F, 4]`` (x, y, w, h) with each face kept once, largest first.

    Two cascades (or one at two scales) find one face twice; of boxes that overlap by
    more than ``iou``, or lie more than ``inside`` within a larger one, the largest stays.
    """
    order = sorted(range(len(boxes)), key=lambda i: (-boxes[i, 2] * boxes[i, 3], *boxes[i, 1::-1]))
    kept = np.zeros((0, 4))
    for box in boxes[order]:
        overlap = box_overlap(box[None], kept)[0]  # [K]
        area = box[2] * box[3]
        union = area + kept[:, 2] * kept[:, 3] - overlap
        if np.all((overlap / union <= iou) & (overlap / area <= inside)):
            kept = np.concatenate([kept, box[None]])
    return kept


def box_iou(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """IoU ``[A, B]`` of boxes ``a`` ``[A, 4]`` and ``b`` ``[B, 4]`` (x, y, w, h)."""
    overlap = box_overlap(a, b)
    union = (a[:, 2] * a[:, 3])[:, None] + (b[:, 2] * b[:, 3])[None, :] - overlap
    return overlap / np.maximum(union, 1e-9)


def box_overlap(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Intersection areas ``[A, B]`` of boxes ``a`` ``[A, 4]``, ``b`` ``[B, 4]`` (x, y, w, h)."""
    x0 = np.maximum(a[:, None, 0], b[None, :, 0])
    y0 = np.maximum(a[:, None, 1], b[None, :, 1])
    x1 = np.minimum(a[:, None, 0] + a[:, None, 2], b[None, :, 0] + b[None, :, 2])
    y1 = np.minimum(a[:, None, 1] + a[:, None, 3], b[None, :, 1] + b[None, :, 3])
    return np.clip(x1 - x0, 0, None) * np.clip(y1 - y0, 0, None)
