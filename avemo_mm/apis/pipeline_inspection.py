"""What a test pipeline asks of a video, read from its transforms by their class."""

from __future__ import annotations

import math

from mmaction.datasets.transforms import CenterCrop, Resize, ThreeCrop
from mmengine.dataset import Compose

from ..datasets.transforms import SampleSnippets


def snippet_len(pipeline: Compose) -> int:
    """k, the frames of one snippet: a clip needs at least that many."""
    for transform in pipeline.transforms:
        if isinstance(transform, SampleSnippets):
            return transform.snippet_len
    raise ValueError(
        'the test pipeline has no SampleSnippets: inference needs an avemo-mm pipeline'
    )


def face_size(pipeline: Compose) -> int:
    """The side the test pipeline shows the model (the face cache's crop size)."""
    size = 224
    for transform in pipeline.transforms:
        if isinstance(transform, Resize):
            sides = transform.scale
        elif isinstance(transform, (CenterCrop, ThreeCrop)):
            sides = transform.crop_size
        else:
            continue
        sides = (sides, sides) if isinstance(sides, (int, float)) else tuple(sides)
        if all(0 < side < math.inf for side in sides):  # Resize(scale=(-1, s)) keeps ratio
            size = max(sides)
    return int(size)
