"""Align a face by its eyes: the roll angle from OpenCV's eye cascade, for an upright crop.

The paper crops "aligned face instances". The face detector (a frontal Haar cascade)
finds faces up to a roll of about 15 degrees; within that, the eyes give the angle by
which the crop is turned so that they lie level. The eye cascade
(``haarcascade_eye.xml``) ships in the OpenCV wheel like the face cascades.
"""

from __future__ import annotations

from collections.abc import Iterable

import cv2
import numpy as np

from .face_tracks import moving_average


class EyeAligner:
    """The roll angle of a clip's face, frame by frame, from its two eyes.

    The eyes are looked for in the upper part of the face box of every
    ``detect_every``-th frame; a pair is two detections side by side, each in its half
    of the face, apart by a fifth to four fifths of the box's side and level within
    ``max_angle``, of sizes within 1.5x of each other. A pair of the wrong features
    (an eye and a brow) now and then gives an outlier: each angle is replaced by the
    median of it and its two neighbours on either side (among the frames with a pair),
    frames between pairs take the interpolated angle, and the angles are smoothed over
    time; a clip where no pair is found keeps angle 0 (no rotation).

    Args:
        detect_every (int): Look for the eyes in every n-th frame. Defaults to ``3``.
        smooth_window (int): Frames in the moving average of the angle.
            Defaults to ``9``.
        max_angle (float): Pairs tilted more than this (degrees) are not eyes.
            Defaults to ``30``.
    """

    def __init__(
        self, detect_every: int = 3, smooth_window: int = 9, max_angle: float = 30.0
    ) -> None:
        self.detect_every = detect_every
        self.smooth_window = smooth_window
        self.max_angle = max_angle
        self.cascade = cv2.CascadeClassifier(cv2.data.haarcascades + 'haarcascade_eye.xml')
        if self.cascade.empty():
            raise RuntimeError('OpenCV has no haarcascade_eye.xml (opencv-python installed?)')

    def eye_angle(self, frame: np.ndarray, box: np.ndarray) -> float | None:
        """Degrees from the left eye (in the picture) to the right, clockwise positive
        as the picture's y axis points down; None when no pair is found.

        Args:
            frame (np.ndarray): ``[Y, X, 3]`` RGB frame.
            box (np.ndarray): ``[cx, cy, side]`` the face's crop box in pixels.
        """
        cx, cy, side = (float(v) for v in box[:3])
        height, width = frame.shape[:2]
        x0, x1 = int(max(0, cx - side / 2)), int(min(width, cx + side / 2))
        y0, y1 = int(max(0, cy - side / 2)), int(min(height, cy + side * 0.15))
        if x1 - x0 < 20 or y1 - y0 < 20:
            return None
        grey = cv2.cvtColor(np.ascontiguousarray(frame[y0:y1, x0:x1]), cv2.COLOR_RGB2GRAY)
        least = max(12, int(side / 10))
        eyes = self.cascade.detectMultiScale(grey, 1.1, 3, minSize=(least, least))
        centres = [(x0 + x + w / 2, y0 + y + h / 2, w) for x, y, w, h in eyes]
        left = [e for e in centres if e[0] < cx]
        right = [e for e in centres if e[0] >= cx]
        best, best_size = None, 0.0
        for lx, ly, lw in left:
            for rx, ry, rw in right:
                dx, dy = rx - lx, ry - ly
                angle = float(np.degrees(np.arctan2(dy, dx)))
                apart = np.hypot(dx, dy) / side
                alike = max(lw, rw) <= 1.5 * min(lw, rw)
                level = abs(angle) <= self.max_angle
                if 0.2 <= apart <= 0.8 and alike and level and lw + rw > best_size:
                    best, best_size = angle, lw + rw
        return best

    def angles(self, frames: Iterable[np.ndarray], boxes: np.ndarray) -> np.ndarray:
        """``[V]`` the roll angle (degrees) of every frame's face.

        Args:
            frames (Iterable[np.ndarray]): The clip's ``V`` RGB frames, in order.
            boxes (np.ndarray): ``[V, 3]`` the face boxes the tracker gave them.
        """
        found = {}
        for t, frame in enumerate(frames):
            if t % self.detect_every == 0 and t < len(boxes):
                angle = self.eye_angle(frame, boxes[t])
                if angle is not None:
                    found[t] = angle
        if not found:
            return np.zeros(len(boxes))
        times = np.array(sorted(found))
        seen = np.array([found[t] for t in times])
        steady = np.array([np.median(seen[max(0, i - 2) : i + 3]) for i in range(len(seen))])
        values = np.interp(np.arange(len(boxes)), times, steady)
        return moving_average(values[:, None], self.smooth_window)[:, 0]


def crop_rotated(frame: np.ndarray, box: np.ndarray, angle: float, size: int) -> np.ndarray:
    """The square ``box`` (cx, cy, side) of ``frame``, its axes turned by ``angle``
    degrees about its centre (so eyes at ``angle`` come out level), resized to
    ``size`` as :func:`~.faces.crop_square` resizes (area averaging); outside the frame
    the border is replicated, as there.
    """
    cx, cy, side = (float(v) for v in box[:3])
    native = max(1, int(round(side)))
    cos, sin = np.cos(np.radians(angle)), np.sin(np.radians(angle))
    # crop pixel (u, v) samples the frame at (cx, cy) + R(angle) (u - h, v - h), with
    # pixel centres at integer + 0.5 on both sides of the map
    h = native / 2 - 0.5
    to_frame = np.array(
        [
            [cos, -sin, cx - 0.5 - cos * h + sin * h],
            [sin, cos, cy - 0.5 - sin * h - cos * h],
        ]
    )
    upright = cv2.warpAffine(
        frame,
        to_frame,
        (native, native),
        flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP,
        borderMode=cv2.BORDER_REPLICATE,
    )
    return cv2.resize(upright, (size, size), interpolation=cv2.INTER_AREA)
