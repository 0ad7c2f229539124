"""The plain triplet loss (the paper's Eq. 13), the baseline of its Table 3."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from mmaction.models.losses import BaseWeightedLoss
from mmaction.registry import MODELS
from mmengine.logging import print_log
from torch import Tensor

from .triplet_mining import TRIPLET_MINING_MODES, pairwise_squared_distances, triplet_margin_loss


@MODELS.register_module()
class TripletLoss(BaseWeightedLoss):
    """Triplet loss with in-batch mining: mean of ``[d(a,p) - d(a,n) + margin]_+``.

    ``d`` is the squared Euclidean distance. Positives share the anchor's label,
    negatives have any other label.

    A batch in which no anchor has both a positive and a negative gives a zero loss
    (never NaN) and a logged warning; :attr:`num_batches_without_triplets` counts
    such batches. A P classes x K clips batch sampler avoids them.

    Args:
        margin (float): alpha. Defaults to ``0.2``.
        mining (str): ``'batch_hard'`` or ``'batch_all'``. Defaults to
            ``'batch_hard'``.
        normalize (bool): **Decision** (docs/decisions.md): L2-normalise the
            embeddings first, so the margin has a fixed scale. Defaults to ``True``.
        loss_weight (float): Factor on the loss (lambda). Defaults to ``1.0``.
    """

    def __init__(
        self,
        margin: float = 0.2,
        mining: str = 'batch_hard',
        normalize: bool = True,
        loss_weight: float = 1.0,
    ) -> None:
        super().__init__(loss_weight=loss_weight)
        if mining not in TRIPLET_MINING_MODES:
            raise ValueError(f'mining must be one of {TRIPLET_MINING_MODES}, got {mining!r}')
        if margin < 0:
            raise ValueError(f'margin must be >= 0, got {margin}')
        self.margin = margin
        self.mining = mining
        self.normalize = normalize
        self.num_batches_without_triplets = 0

    def _forward(self, embeddings: Tensor, labels: Tensor) -> Tensor:
        """Compute the loss.

        Args:
            embeddings (Tensor): ``[B, E]``.
            labels (Tensor): ``[B]`` integer class indices.

        Returns:
            Tensor: Scalar loss.
        """
        if self.normalize:
            embeddings = F.normalize(embeddings, dim=1)
        dist = pairwise_squared_distances(embeddings)  # [B, B]
        same = labels[:, None] == labels[None, :]  # [B, B]
        eye = torch.eye(len(labels), dtype=torch.bool, device=labels.device)
        total, count = triplet_margin_loss(dist, same & ~eye, ~same, self.margin, self.mining)
        if count == 0:
            self._warn_no_triplets(len(labels))
            return total
        return total / count

    def _warn_no_triplets(self, batch_size: int) -> None:
        self.num_batches_without_triplets += 1
        print_log(
            f'{type(self).__name__}: a batch of {batch_size} samples had no valid triplet '
            '(no anchor with both a same-class and an other-class sample); its metric '
            f'loss is 0. Batches like this so far: {self.num_batches_without_triplets}. '
            'Use a P x K class-balanced batch sampler to avoid them.',
            logger='current',
            level=30,  # logging.WARNING
        )

    def extra_repr(self) -> str:
        return f'margin={self.margin}, mining={self.mining!r}, normalize={self.normalize}'
