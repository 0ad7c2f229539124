"""In-batch triplet mining shared by :class:`TripletLoss` and the emotion metric loss.

Shapes: B samples in a batch, E embedding width.
"""

from __future__ import annotations

import torch
from torch import Tensor

TRIPLET_MINING_MODES = ('batch_hard', 'batch_all')


def pairwise_squared_distances(embeddings: Tensor) -> Tensor:
    """Squared Euclidean distance between every pair of rows.

    Uses ``|x|^2 + |y|^2 - 2 x.y`` rather than ``torch.cdist(...) ** 2``: the square
    root inside ``cdist`` has an infinite gradient at distance 0 (a sample and its
    duplicate), which would put NaN into the backward pass.

    Args:
        embeddings (Tensor): ``[B, E]``.

    Returns:
        Tensor: ``[B, B]``, non-negative, zero on the diagonal.
    """
    sq_norms = embeddings.pow(2).sum(dim=1)  # [B]
    dist = sq_norms[:, None] + sq_norms[None, :] - 2.0 * embeddings @ embeddings.t()
    dist = dist.clamp(min=0.0)
    return dist * (1.0 - torch.eye(len(dist), dtype=dist.dtype, device=dist.device))


def triplet_margin_loss(
    dist: Tensor, pos_mask: Tensor, neg_mask: Tensor, margin: float, mining: str = 'batch_hard'
) -> tuple[Tensor, int]:
    """Sum of ``[d(a, p) - d(a, n) + margin]_+`` over the mined triplets.

    "Positive" and "negative" are roles here: the emotion metric loss also calls this
    with related classes as positives (term 2) or as negatives (term 1).

    Args:
        dist (Tensor): ``[B, B]`` squared distances, anchor rows.
        pos_mask (Tensor): ``[B, B]`` bool, ``pos_mask[a, p]`` when p may be
            anchor a's positive (the diagonal must be False).
        neg_mask (Tensor): ``[B, B]`` bool, ``neg_mask[a, n]`` when n may be
            anchor a's negative.
        margin (float): The margin (alpha or beta of the paper).
        mining (str): ``'batch_hard'``: per anchor, its farthest positive and its
            nearest negative (Hermans et al., 2017). ``'batch_all'``: every valid
            (a, p, n). Defaults to ``'batch_hard'``.

    Returns:
        tuple[Tensor, int]: The summed loss (a scalar that stays connected to
        ``dist`` even when no triplet is valid, so backward always works) and the
        number of triplets summed (batch_hard: anchors; batch_all: triplets).
    """
    if mining not in TRIPLET_MINING_MODES:
        raise ValueError(f'mining must be one of {TRIPLET_MINING_MODES}, got {mining!r}')
    valid_anchor = pos_mask.any(dim=1) & neg_mask.any(dim=1)  # [B]
    if mining == 'batch_hard':
        hardest_pos = dist.masked_fill(~pos_mask, float('-inf')).amax(dim=1)  # [B]
        hardest_neg = dist.masked_fill(~neg_mask, float('inf')).amin(dim=1)  # [B]
        losses = (hardest_pos - hardest_neg + margin).clamp(min=0.0)
        losses = torch.where(valid_anchor, losses, torch.zeros_like(losses))
        return losses.sum() + 0.0 * dist.sum(), int(valid_anchor.sum())
    # batch_all: [B, B, 1] - [B, 1, B] -> every (a, p, n)
    valid = pos_mask[:, :, None] & neg_mask[:, None, :]  # [B, B, B]
    losses = (dist[:, :, None] - dist[:, None, :] + margin).clamp(min=0.0)
    return (losses * valid).sum() + 0.0 * dist.sum(), int(valid.sum())
