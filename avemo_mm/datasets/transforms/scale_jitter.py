"""Faces at other sizes and places in the crop: a zoom and shift that drift over the clip."""

from __future__ import annotations

import cv2
import numpy as np
from mmaction.registry import TRANSFORMS
from mmcv.transforms import BaseTransform

from .audio_augment import _check_prob, _check_range
from .light_change import time_places


@TRANSFORMS.register_module()
class ClipScaleJitter(BaseTransform):
    """Zoom a clip's frames in or out and shift them, gradually over the clip.

    The preparation crops each face at the size its detector boxed it, and a detector's
    box differs with the distance, the light and the detector (a second look's boxes
    are another size). MMAction2's ``RandomResizedCrop`` only zooms in, and by one crop
    for the whole clip; here a zoom below 1 shows the face smaller with more of its
    surroundings (the frame's edge pixels fill the border), above 1 larger. Two (zoom,
    x shift, y shift) triples are drawn, for the first and the last frame in time order
    (``frame_inds``), and each frame gets the triple interpolated at its place, as a
    camera or a tracker drifts. The frame size does not change.

    Required Keys:
        - imgs: list of ``[Y, X, 3]`` uint8 frames (after the decode)
        - frame_inds (optional): the frames' indices in the video, for their order

    Modified Keys:
        - imgs

    Args:
        scale (tuple[float, float]): Range of the zoom, drawn log-uniformly (0.8: the
            face at 0.8 of its size). Defaults to ``(0.8, 1.25)``.
        shift (float): Largest shift of the centre, as a share of the frame's width
            and height. Defaults to ``0.1``.
        prob (float): Chance that a clip changes. Defaults to ``0.5``.
    """

    def __init__(
        self,
        scale: tuple[float, float] = (0.8, 1.25),
        shift: float = 0.1,
        prob: float = 0.5,
    ) -> None:
        self.scale = _check_range('scale', scale)
        if self.scale[0] <= 0:
            raise ValueError(f'scale must be positive, got {scale}')
        if not 0.0 <= shift < 0.5:
            raise ValueError(f'shift must be in [0, 0.5), got {shift}')
        self.shift = float(shift)
        self.prob = _check_prob(prob)

    def transform(self, results: dict) -> dict:
        if np.random.rand() >= self.prob or not results['imgs']:
            return results
        frames = results['imgs']
        place = time_places(results, len(frames))
        log_zoom = np.random.uniform(*np.log(self.scale), 2)
        shifts = np.random.uniform(-self.shift, self.shift, (2, 2))
        changed = []
        for frame, at in zip(frames, place, strict=True):
            zoom = float(np.exp(log_zoom[0] + at * (log_zoom[1] - log_zoom[0])))
            dx, dy = shifts[0] + at * (shifts[1] - shifts[0])
            height, width = frame.shape[:2]
            # zoom about the centre, then move the content by (dx, dy) of the frame
            matrix = cv2.getRotationMatrix2D(((width - 1) / 2, (height - 1) / 2), 0.0, zoom)
            matrix[:, 2] += (dx * width, dy * height)
            changed.append(
                cv2.warpAffine(
                    frame,
                    matrix,
                    (width, height),
                    flags=cv2.INTER_LINEAR,
                    borderMode=cv2.BORDER_REPLICATE,
                )
            )
        results['imgs'] = changed
        return results

    def __repr__(self) -> str:
        return f'{type(self).__name__}(scale={self.scale}, shift={self.shift}, prob={self.prob})'


__all__ = ['ClipScaleJitter']
