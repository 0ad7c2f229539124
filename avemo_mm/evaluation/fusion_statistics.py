"""What a trained cross-attention fusion does with its inputs (docs/method.md,
"Learning from both modalities")."""

from __future__ import annotations

import math

import torch
from torch import Tensor


def fusion_statistics(out: dict[str, Tensor]) -> dict[str, float]:
    """How much the cross-modal attention attends, and how much the skip tanh squashes.

    ``attention_max_weight``: the largest weight of each column of W^Audio and W^Video,
    averaged (1/N when the attention is uniform, 1 when each snippet attends to one);
    ``tanh_saturated_*``: the share of ``D^Corr`` entries beyond tanh(2) = 0.964, where
    the head sees little more than the sign of ``D + D~``.

    Args:
        out (dict[str, Tensor]): :meth:`CrossAttentionFusionHead.forward`'s outputs
            with ``fusion='cross_attention'``: ``w_audio``, ``w_video`` ``[B, N, N]``,
            ``corr_audio``, ``corr_video`` ``[B, N, m']``.

    Returns:
        dict[str, float]: ``attention_max_weight``, ``uniform_weight`` (1/N),
        ``tanh_saturated_audio``, ``tanh_saturated_video``.
    """
    weights = torch.cat([out['w_audio'], out['w_video']])  # [2B, N, N], columns sum to 1
    return dict(
        attention_max_weight=float(weights.max(dim=1).values.mean()),
        uniform_weight=1.0 / weights.shape[1],
        tanh_saturated_audio=float((out['corr_audio'].abs() > math.tanh(2)).float().mean()),
        tanh_saturated_video=float((out['corr_video'].abs() > math.tanh(2)).float().mean()),
    )
