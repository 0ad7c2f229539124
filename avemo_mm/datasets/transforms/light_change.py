"""Light that changes within a clip: brightness and contrast drifting over the frames."""

from __future__ import annotations

import numpy as np
from mmaction.registry import TRANSFORMS
from mmcv.transforms import BaseTransform

from .audio_augment import _check_prob, _check_range


def time_places(results: dict, num_frames: int) -> np.ndarray:
    """Each frame's place in the clip's time order, 0 (first) to 1 (last): ``[num_frames]``.

    From ``results['frame_inds']`` (the frames' indices in the video) where the pipeline
    has them, else the list order.
    """
    order = np.asarray(results.get('frame_inds', np.arange(num_frames)), np.float64)
    order = order.reshape(-1)[:num_frames]
    span = order.max() - order.min()
    return (order - order.min()) / span if span > 0 else np.zeros(num_frames)


@TRANSFORMS.register_module()
class ClipLightChange(BaseTransform):
    """Change the brightness and contrast of a clip's frames gradually over the clip.

    MMAction2's ``ColorJitter`` draws one change for the whole clip; in a recording the
    light also changes while it runs (a cloud, a lamp, the camera's exposure). Two
    (brightness, contrast) pairs are drawn, one for the first and one for the last
    frame, and every frame gets the pair interpolated at its place in the clip's time
    order (``frame_inds``): ``out = (x - m) * contrast + m * brightness``, ``m`` the
    frame's mean.

    Required Keys:
        - imgs: list of ``[Y, X, 3]`` uint8 frames (after the decode)
        - frame_inds (optional): the frames' indices in the video, for their order

    Modified Keys:
        - imgs

    Args:
        brightness (tuple[float, float]): Range of the brightness factor.
            Defaults to ``(0.6, 1.4)``.
        contrast (tuple[float, float]): Range of the contrast factor.
            Defaults to ``(0.7, 1.3)``.
        prob (float): Chance that a clip changes. Defaults to ``0.5``.
    """

    def __init__(
        self,
        brightness: tuple[float, float] = (0.6, 1.4),
        contrast: tuple[float, float] = (0.7, 1.3),
        prob: float = 0.5,
    ) -> None:
        self.brightness = _check_range('brightness', brightness)
        self.contrast = _check_range('contrast', contrast)
        self.prob = _check_prob(prob)

    def transform(self, results: dict) -> dict:
        if np.random.rand() >= self.prob or not results['imgs']:
            return results
        frames = results['imgs']
        place = time_places(results, len(frames))
        start, end = np.random.uniform(*zip(self.brightness, self.contrast, strict=True), (2, 2))
        changed = []
        for frame, at in zip(frames, place, strict=True):
            brightness, contrast = start + at * (end - start)
            x = frame.astype(np.float32)
            mean = x.mean()
            changed.append(
                np.clip((x - mean) * contrast + mean * brightness, 0, 255).astype(np.uint8)
            )
        results['imgs'] = changed
        return results

    def __repr__(self) -> str:
        return (
            f'{type(self).__name__}(brightness={self.brightness}, contrast={self.contrast}, '
            f'prob={self.prob})'
        )


__all__ = ['ClipLightChange']
