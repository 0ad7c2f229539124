"""Workaround 6: ``mmaction2<=1.2.0``'s ``ColorJitter`` hue shift under NumPy 2.

``ColorJitter.adjust_hue`` adds ``int(factor * 255)`` to OpenCV's uint8 hue channel
(0-179) and wraps it by ``% 180``. Under NumPy >= 2 (NEP 50) the sum stays uint8: a
negative offset raises ``OverflowError: Python integer -16 out of bounds for uint8``,
so a config with ``hue > 0`` stops on about half of its clips, and a sum beyond 255
wraps by 256 before the ``% 180``. NumPy 1 widened the type; the fix adds in int16,
which gives NumPy 1's hues.
"""

from __future__ import annotations

import cv2
import numpy as np


def _adjust_hue(img: np.ndarray, factor: float) -> np.ndarray:
    """``ColorJitter.adjust_hue`` with the hue sum in int16 (``img``: ``[Y, X, 3]`` RGB)."""
    img = np.clip(img, 0, 255).astype(np.uint8)
    hsv = cv2.cvtColor(img, cv2.COLOR_RGB2HSV)
    offset = int(factor * 255)
    hsv[..., 0] = (hsv[..., 0].astype(np.int16) + offset) % 180
    return cv2.cvtColor(hsv, cv2.COLOR_HSV2RGB).astype(np.float32)


def patch_color_jitter_hue() -> bool:
    """Replace ``ColorJitter.adjust_hue`` where a negative shift overflows.

    Returns:
        bool: True when the bug was present and the method was replaced.
    """
    from mmaction.datasets.transforms import ColorJitter

    try:
        ColorJitter.adjust_hue(np.zeros((1, 1, 3), np.uint8), -0.1)
    except OverflowError:
        ColorJitter.adjust_hue = staticmethod(_adjust_hue)
        return True
    return False
