"""The drawn face of the synthetic corpora: one frame of a frontal face whose expression
is set by four numbers (:mod:`avemo_mm.datasets.synthetic` sets them per emotion)."""

from __future__ import annotations

import cv2
import numpy as np


def draw_face(
    height: int,
    width: int,
    center: tuple[int, int],
    scale: float,
    smile: float,
    brow: float,
    eye_open: float,
    mouth_open: float,
    skin: tuple[int, int, int],
    noise: np.ndarray,
) -> np.ndarray:
    """One RGB frame ``[Y, X, 3]`` uint8 of a drawn frontal face on a noisy background.

    ``smile`` > 0 lifts the mouth corners, ``brow`` > 0 raises the eyebrows and < 0
    furrows them; ``eye_open`` and ``mouth_open`` are in [0, 1].
    """
    cx, cy = center
    ramp = np.linspace(70, 110, width, dtype=np.float32)[None, :, None]
    img = np.clip(ramp + noise, 0, 255).astype(np.uint8).repeat(3, axis=2)
    s = lambda v: max(1, int(round(v * scale)))  # noqa: E731  (pixels at this face scale)
    cv2.ellipse(img, (cx, cy), (s(38), s(50)), 0, 0, 360, skin, -1)
    cv2.ellipse(img, (cx, cy - s(30)), (s(40), s(24)), 0, 180, 360, (60, 40, 30), -1)  # hair
    eye_y, eye_dx = cy - s(12), s(15)
    for side in (-1, 1):
        eye = (cx + side * eye_dx, eye_y)
        cv2.ellipse(img, eye, (s(8), s(5 * eye_open)), 0, 0, 360, (240, 240, 240), -1)
        cv2.circle(img, eye, s(3), (40, 30, 20), -1)
        brow_y = eye_y - s(11) - int(4 * scale * brow)
        inner = (cx + side * s(6), brow_y + int(4 * scale * max(0.0, -brow)))
        cv2.line(img, inner, (cx + side * s(24), brow_y), (50, 35, 25), s(3))
    cv2.line(img, (cx, eye_y + s(4)), (cx - s(3), cy + s(10)), (170, 130, 115), s(2))  # nose
    mouth_y, half = cy + s(26), s(16)
    xs = np.linspace(-1.0, 1.0, 21)
    curve = smile * 6 * scale * (xs**2 - 0.5)
    top = np.stack([cx + xs * half, mouth_y - curve], 1).astype(np.int32)
    if mouth_open > 0.05:
        lower = mouth_y + mouth_open * 8 * scale * (1 - xs**2) - curve
        bottom = np.stack([cx + xs * half * 0.8, lower], 1).astype(np.int32)
        cv2.fillPoly(img, [np.concatenate([top, bottom[::-1]])], (90, 20, 20))
    cv2.polylines(img, [top], False, (120, 40, 40), s(3))
    return img


__all__ = ['draw_face']
