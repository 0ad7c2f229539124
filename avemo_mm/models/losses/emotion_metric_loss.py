"""The emotion metric loss: a triplet loss with an emotion-polarity constraint (Sec. 3.4)."""

from __future__ import annotations

from collections.abc import Sequence

import torch
import torch.nn.functional as F
from mmaction.registry import MODELS
from torch import Tensor

from .triplet_loss import TripletLoss
from .triplet_mining import pairwise_squared_distances, triplet_margin_loss

_POLARITY_SIGN = {'positive': 1, 'negative': -1, 'neutral': 0}


@MODELS.register_module()
class EmotionMetricLoss(TripletLoss):
    """Polarity-constrained triplet loss (the paper's Eq. 14-16).

    For an anchor a: positives p share its class; related samples r have another
    class of the same polarity; opposite samples n have a class of the opposite
    polarity. With d the squared Euclidean distance:

    - term 1: ``[d(a, p) - d(a, r) + alpha]_+``: the own class nearer than related ones;
    - term 2: ``[d(a, r) - d(a, n) + beta]_+``: related classes nearer than opposite ones.

    Neutral anchors, and anchors with no related class in the batch (CREMA-D's happy,
    the only positive class there, always), get the plain triplet term
    ``[d(a, p) - d(a, x) + alpha]_+`` over every other-class sample x.
    **Decision** (docs/method.md): for non-neutral anchors with related samples,
    neutral samples are also negatives in a plain term, so no pair is unconstrained.
    The loss is the mean over every mined triplet of every term.

    Class polarities come from the dataset's ``metainfo['polarities']``, never from a
    table here: pass them as ``polarities`` or call :meth:`set_polarities` (the
    recognizer does, from the dataset, before training).

    Args:
        polarities (Sequence[str], optional): One of ``'positive'``, ``'negative'``,
            ``'neutral'`` per class, in label order. Defaults to ``None`` (set later).
        alpha (float): Margin of term 1 and of the plain terms. Defaults to ``0.2``.
        beta (float): Margin of term 2. Defaults to ``0.2``.
        mining (str): ``'batch_hard'`` or ``'batch_all'``. Defaults to
            ``'batch_hard'``.
        normalize (bool): L2-normalise the embeddings first. Defaults to ``True``.
        loss_weight (float): lambda, the weight beside cross-entropy. Defaults to
            ``1.0``.
    """

    def __init__(
        self,
        polarities: Sequence[str] | None = None,
        alpha: float = 0.2,
        beta: float = 0.2,
        mining: str = 'batch_hard',
        normalize: bool = True,
        loss_weight: float = 1.0,
    ) -> None:
        super().__init__(margin=alpha, mining=mining, normalize=normalize, loss_weight=loss_weight)
        if beta < 0:
            raise ValueError(f'beta must be >= 0, got {beta}')
        self.beta = beta
        self.register_buffer('class_signs', torch.zeros(0, dtype=torch.long), persistent=False)
        if polarities is not None:
            self.set_polarities(polarities)

    @property
    def alpha(self) -> float:
        return self.margin

    def set_polarities(self, polarities: Sequence[str]) -> None:
        """Set each class's polarity, in label order (from the dataset metainfo)."""
        bad = [p for p in polarities if p not in _POLARITY_SIGN]
        if bad:
            raise ValueError(f'polarities must be among {sorted(_POLARITY_SIGN)}, got {bad}')
        signs = torch.tensor([_POLARITY_SIGN[p] for p in polarities], dtype=torch.long)
        self.class_signs = signs.to(self.class_signs.device)

    def _forward(self, embeddings: Tensor, labels: Tensor) -> Tensor:
        """Compute the loss.

        Args:
            embeddings (Tensor): ``[B, E]``.
            labels (Tensor): ``[B]`` class indices into the polarities.

        Returns:
            Tensor: Scalar loss.
        """
        if len(self.class_signs) == 0:
            raise RuntimeError(
                'EmotionMetricLoss has no class polarities: pass polarities=... or let the '
                "recognizer set them from the dataset's metainfo['polarities']"
            )
        if int(labels.max()) >= len(self.class_signs):
            raise ValueError(
                f'label {int(labels.max())} has no polarity: {len(self.class_signs)} classes known'
            )
        if self.normalize:
            embeddings = F.normalize(embeddings, dim=1)
        dist = pairwise_squared_distances(embeddings)  # [B, B]
        sign = self.class_signs[labels]  # [B]: +1, -1, 0
        same = labels[:, None] == labels[None, :]
        eye = torch.eye(len(labels), dtype=torch.bool, device=labels.device)
        positive = same & ~eye
        polar = (sign != 0)[:, None]  # non-neutral anchors
        related = ~same & (sign[:, None] == sign[None, :]) & polar
        opposite = (sign[:, None] * sign[None, :]) == -1
        neutral_other = ~same & (sign == 0)[None, :]
        constrained = (related.any(dim=1))[:, None]  # [B, 1]: polarity terms apply

        terms = (  # (positives, negatives, margin) per term; rows are anchors
            (positive & constrained, related, self.alpha),  # term 1
            (related & constrained, opposite, self.beta),  # term 2
            (positive & constrained, neutral_other, self.alpha),  # Decision: neutral negatives
            (positive & ~constrained, ~same, self.alpha),  # plain triplet term
        )
        total, count = dist.new_zeros(()), 0
        for pos_mask, neg_mask, margin in terms:
            term_total, term_count = triplet_margin_loss(
                dist, pos_mask, neg_mask, margin, self.mining
            )
            total, count = total + term_total, count + term_count
        if count == 0:
            self._warn_no_triplets(len(labels))
            return total
        return total / count

    def extra_repr(self) -> str:
        return (
            f'alpha={self.alpha}, beta={self.beta}, mining={self.mining!r}, '
            f'normalize={self.normalize}, classes={len(self.class_signs)}'
        )
