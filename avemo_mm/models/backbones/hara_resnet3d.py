"""Hara et al.'s 3D ResNet (CVPR 2018), in the layout of their public checkpoints."""

from __future__ import annotations

import torch
from mmaction.registry import MODELS
from mmengine.model import BaseModule
from torch import Tensor, nn

from .checkpoint_loading import load_backbone_checkpoint
from .resnet_blocks import add_stages, default_init_cfg, run_stages


@MODELS.register_module()
class HaraResNet3d(BaseModule):
    """3D ResNet of kenshohara/3D-ResNets-PyTorch (``models/resnet.py``), no pooling.

    Stem: conv 7x7x7, stride (1, 2, 2), padding 3, BN, ReLU, max-pool 3x3x3 stride 2
    in time and space; four stages of 64/128/256/512 planes (x4 for bottlenecks),
    stages 2-4 stride 2 in time AND space; shortcut type B. At 3 x 16 x 224 x 224 the
    output of depth 101 is ``[2048, 1, 7, 7]``. The classifier and global pooling are
    left out: :class:`VisualAttentionNeck` takes the feature map.

    Module names match the published ``r3d{depth}_K_200ep.pth`` / ``..._KM_...``
    checkpoints (``conv1``, ``bn1``, ``layer{1-4}.{i}.conv{1-3}``, ``...bn{1-3}``,
    ``...downsample.{0,1}``), which ``pretrained`` loads strictly, dropping ``fc.*``.

    Args:
        depth (int): 10, 18, 34, 50, 101, 152 or 200. Defaults to ``101``.
        pretrained (str, optional): Path of a Hara et al. checkpoint (nothing is
            downloaded). Defaults to ``None``.
        base_channels (int): Planes of the first stage (64 in the paper; smaller for
            CPU tests). Defaults to ``64``.
        in_channels (int): Input channels. Defaults to ``3``.
        init_cfg (dict | list[dict], optional): Initialisation without a checkpoint.
            Defaults to Kaiming for convolutions and constant for BN, as Hara et al.
    """

    def __init__(
        self,
        depth: int = 101,
        pretrained: str | None = None,
        base_channels: int = 64,
        in_channels: int = 3,
        init_cfg: dict | list[dict] | None = None,
    ) -> None:
        super().__init__(init_cfg=init_cfg or default_init_cfg(3))
        self.depth, self.pretrained = depth, pretrained
        self.conv1 = nn.Conv3d(
            in_channels, base_channels, kernel_size=7, stride=(1, 2, 2), padding=3, bias=False
        )
        self.bn1 = nn.BatchNorm3d(base_channels)
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool3d(kernel_size=3, stride=2, padding=1)
        self.out_channels = add_stages(self, 3, depth, base_channels, 'HaraResNet3d')

    def init_weights(self) -> None:
        if self.pretrained:
            load_backbone_checkpoint(self, self.pretrained)
        else:
            super().init_weights()

    def forward(self, x: Tensor) -> Tensor:
        """``[B, 3, k, Y, X]`` -> ``[B, m, k/16, Y/32, X/32]`` (m = 2048 at depth 101)."""
        if x.device.type == 'cpu' and not torch.is_autocast_enabled('cpu'):
            # oneDNN takes the 7x7x7 stem's weight gradient 2x faster channels-last: a
            # training step of the tiny config 0.39 -> 0.20 s (docs/reliability.md). Not
            # under bf16 autocast: there its weight gradient crashed or hung on an AMD
            # EPYC with avx512_bf16 (docs/reliability.md)
            x = x.contiguous(memory_format=torch.channels_last_3d)
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        return run_stages(self, x).contiguous()
