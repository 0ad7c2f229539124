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
    background: np.ndarray | None = None,
    shape: tuple[float, float] = (1.0, 1.0),
    hair: tuple[int, int, int] = (60, 40, 30),
    shading: bool = False,
) -> np.ndarray:
    """One RGB frame ``[Y, X, 3]`` uint8 of a drawn frontal face on a noisy background.

    ``smile`` > 0 lifts the mouth corners, ``brow`` > 0 raises the eyebrows and < 0
    furrows them; ``eye_open`` and ``mouth_open`` are in [0, 1]. ``noise`` is
    ``[Y, X, 1]`` float32, added to the ``background`` (``[Y, X, 3]`` float32; a grey
    ramp when None); ``shape`` scales the face's width and height, ``hair`` is RGB.
    ``shading`` draws a face lit from above, as a camera sees one: eye sockets and the
    nose's side darker than the skin, cheeks lighter, whatever the skin's tone.
    """
    cx, cy = center
    if background is None:
        ramp = np.linspace(70, 110, width, dtype=np.float32)[None, :, None]
        img = np.clip(ramp + noise, 0, 255).astype(np.uint8).repeat(3, axis=2)
    else:
        img = np.clip(background + noise, 0, 255).astype(np.uint8)
    s = lambda v: max(1, int(round(v * scale)))  # noqa: E731  (pixels at this face scale)
    face_axes = (s(38 * shape[0]), s(50 * shape[1]))
    cv2.ellipse(img, (cx, cy), face_axes, 0, 0, 360, skin, -1)
    cv2.ellipse(img, (cx, cy - s(30)), (s(40 * shape[0]), s(24)), 0, 180, 360, hair, -1)
    eye_y, eye_dx = cy - s(12), s(15)
    if shading:
        tone = lambda f: tuple(float(min(255, c * f)) for c in skin)  # noqa: E731
        for side in (-1, 1):
            cv2.ellipse(
                img, (cx + side * s(17), cy + s(10)), (s(10), s(8)), 0, 0, 360, tone(1.15), -1
            )
            cv2.ellipse(
                img, (cx + side * eye_dx, eye_y - s(2)), (s(12), s(9)), 0, 0, 360, tone(0.55), -1
            )
        cv2.ellipse(img, (cx + s(4), cy + s(4)), (s(4), s(10)), 0, 0, 360, tone(0.75), -1)
    # shaded: muted whites and a larger dark iris, so that the eyes read darker than the
    # cheeks on any skin, as in a camera's picture
    white = tone(1.35) if shading else (240, 240, 240)
    for side in (-1, 1):
        eye = (cx + side * eye_dx, eye_y)
        cv2.ellipse(img, eye, (s(8), s(5 * eye_open)), 0, 0, 360, white, -1)
        cv2.circle(img, eye, s(4) if shading else s(3), (40, 30, 20), -1)
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
