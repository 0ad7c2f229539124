"""Each frame as its change from the clip's mean frame: the person's look taken out."""

from __future__ import annotations

import numpy as np
from mmaction.registry import TRANSFORMS
from mmcv.transforms import BaseTransform


@TRANSFORMS.register_module()
class ClipChange(BaseTransform):
    """Replace each sampled frame by how it differs from the mean of the clip's frames.

    An expression shows as a change of the face against the person's own resting face;
    what stays the same through the clip (the person's skin, hair and face shape, the
    scene behind them) is what a network trained on a few persons learns to tell
    *them* apart by. Subtracting the mean of the clip's sampled frames (pixel by pixel,
    over all ``num_clips x clip_len`` of them) leaves the change:
    ``out = mean + gain * (x - clip mean)``, clipped to 0-255. Frames in the window
    where the expression shows and those around it then differ in sign; a clip whose
    face never changes becomes flat. Put it after the augmentations that move or
    relight the frames (after ``ColorJitter`` in the training pipeline, after
    ``Resize`` in the test one), so that both see it the same way.

    Required Keys:
        - imgs: list of ``[Y, X, C]`` uint8 frames, all of one size

    Modified Keys:
        - imgs

    Args:
        gain (float): How much the change is amplified (an expression moves few pixels
            by a few levels). Defaults to ``2.0``.
        mean (float): The level a frame equal to the clip's mean gets. Defaults to
            ``114.75``, the tiny configs' data preprocessor's mean.
    """

    def __init__(self, gain: float = 2.0, mean: float = 114.75) -> None:
        if gain <= 0:
            raise ValueError(f'gain must be positive, got {gain}')
        self.gain = float(gain)
        self.mean = float(mean)

    def transform(self, results: dict) -> dict:
        frames = np.stack(results['imgs']).astype(np.float32)  # [T, Y, X, C]
        change = self.gain * (frames - frames.mean(axis=0, keepdims=True)) + self.mean
        results['imgs'] = list(np.clip(np.rint(change), 0, 255).astype(np.uint8))
        return results

    def __repr__(self) -> str:
        return f'{type(self).__name__}(gain={self.gain}, mean={self.mean})'


__all__ = ['ClipChange']
