"""BatchNorm1d that trains on any batch size, one sample included."""

from __future__ import annotations

import torch.nn.functional as F
from mmengine.registry import MODELS
from torch import Tensor, nn


# in mmengine's root registry, as mmcv registers its own norms ('BN1d', 'SyncBN'), so
# that mmcv's build_norm_layer finds it whatever the default scope
@MODELS.register_module('BN1dAnyBatch')
class BatchNorm1dAnyBatch(nn.BatchNorm1d):
    """``nn.BatchNorm1d`` that does not fail on a training batch of one sample.

    **Decision**: a training batch with one value per channel (``[1, C]``) has no batch
    statistics (``nn.BatchNorm1d`` raises); it is normalised with the running
    statistics instead, as at test time, and leaves them unchanged. A batch of two or
    more is exactly ``nn.BatchNorm1d`` (the same numbers, bit for bit). So a run that
    only ever sees one clip per step (``batch_size=1`` per process) never updates the
    running statistics and the layer is its learned scale and shift, at training and
    at test time alike.

    Shapes: ``[B, C]`` or ``[B, C, L]`` in and out.
    """

    def forward(self, x: Tensor) -> Tensor:
        single = x.shape[0] == 1 and x[0, 0].numel() == 1  # one value per channel
        if self.training and single and self.track_running_stats:
            return F.batch_norm(
                x,
                self.running_mean,
                self.running_var,
                self.weight,
                self.bias,
                False,
                0.0,
                self.eps,
            )
        return super().forward(x)
