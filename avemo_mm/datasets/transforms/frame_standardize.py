"""Each frame brought to one brightness and contrast: the light and the skin tone taken out."""

from __future__ import annotations

import numpy as np
from mmaction.registry import TRANSFORMS
from mmcv.transforms import BaseTransform


@TRANSFORMS.register_module()
class FrameStandardize(BaseTransform):
    """Shift and scale each frame's colour channels to one mean and standard deviation.

    The data preprocessor normalises with the corpus's fixed mean and std; a face crop
    filmed in dim light, with dark skin or before a dark wall, then reaches the network
    at a fraction of the contrast of a bright one, and a light that changes within the
    clip changes every pixel. Standardising each frame on its own leaves the network the
    face's shape and its changes, at one level: ``out = (x - m) / s * std + mean``, with
    ``m`` and ``s`` the frame's channel's mean and standard deviation, clipped to 0-255.
    It belongs in the test pipeline as well as the training one.

    Required Keys:
        - imgs: list of ``[Y, X, 3]`` uint8 frames (after the decode)

    Modified Keys:
        - imgs

    Args:
        mean (float): The mean each channel gets. Defaults to ``114.75``, the tiny
            configs' data preprocessor's.
        std (float): The standard deviation each channel gets (a flat channel stays
            flat, at ``mean``). Defaults to ``57.375``, the preprocessor's.
        per_channel (bool): Each colour channel on its own (the colour cast goes too), or
            the three together (the colours stay). Defaults to ``True``.
    """

    def __init__(self, mean: float = 114.75, std: float = 57.375, per_channel: bool = True):
        if std <= 0:
            raise ValueError(f'std must be positive, got {std}')
        self.mean = float(mean)
        self.std = float(std)
        self.per_channel = per_channel

    def transform(self, results: dict) -> dict:
        axes = (0, 1) if self.per_channel else None
        standardized = []
        for frame in results['imgs']:
            x = frame.astype(np.float32)
            spread = x.std(axis=axes, keepdims=axes is not None)
            x = (x - x.mean(axis=axes, keepdims=axes is not None)) / np.maximum(spread, 1e-3)
            standardized.append(
                np.clip(np.rint(x * self.std + self.mean), 0, 255).astype(np.uint8)
            )
        results['imgs'] = standardized
        return results

    def __repr__(self) -> str:
        return (
            f'{type(self).__name__}(mean={self.mean}, std={self.std}, '
            f'per_channel={self.per_channel})'
        )


__all__ = ['FrameStandardize']
