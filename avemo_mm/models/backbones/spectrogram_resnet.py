"""A 2D ResNet for one-channel spectrogram images, in torchvision's layout."""

from __future__ import annotations

from mmaction.registry import MODELS
from mmengine.model import BaseModule
from torch import Tensor, nn

from .checkpoint_loading import load_backbone_checkpoint
from .resnet_blocks import add_stages, default_init_cfg, run_stages


def sum_rgb_conv1(state: dict) -> dict:
    """**Decision**: an RGB ``conv1`` ``[64, 3, 7, 7]`` becomes ``[64, 1, 7, 7]`` by
    summing over the colour axis (a grey image through the RGB filters)."""
    weight = state.get('conv1.weight')
    if weight is not None and weight.shape[1] == 3:
        state = dict(state, **{'conv1.weight': weight.sum(dim=1, keepdim=True)})
    return state


@MODELS.register_module()
class SpectrogramResNet(BaseModule):
    """ResNet-18 (or 34/50...) over spectrogram segments, global pooling removed.

    torchvision's architecture and module names (``conv1``, ``bn1``, ``layer{1-4}``,
    ``downsample.{0,1}``), so ``pretrained`` loads torchvision's ImageNet files
    (``resnet18-f37072fd.pth``, a bare state dict) as they are: ``fc.*`` is dropped
    and ``conv1`` summed over the colour axis for the one input channel.

    Args:
        depth (int): 18 (the paper), 34, 50, 101, 152. Defaults to ``18``.
        pretrained (str, optional): Path of a torchvision checkpoint. Defaults to
            ``None``.
        in_channels (int): Input channels. Defaults to ``1``.
        base_channels (int): First-stage planes. Defaults to ``64``.
        init_cfg (dict | list[dict], optional): Initialisation without a checkpoint.
            Defaults to Kaiming / constant, as torchvision.
    """

    def __init__(
        self,
        depth: int = 18,
        pretrained: str | None = None,
        in_channels: int = 1,
        base_channels: int = 64,
        init_cfg: dict | list[dict] | None = None,
    ) -> None:
        super().__init__(init_cfg=init_cfg or default_init_cfg(2))
        self.depth, self.pretrained = depth, pretrained
        self.conv1 = nn.Conv2d(in_channels, base_channels, 7, stride=2, padding=3, bias=False)
        self.bn1 = nn.BatchNorm2d(base_channels)
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(kernel_size=3, stride=2, padding=1)
        self.out_channels = add_stages(self, 2, depth, base_channels, 'SpectrogramResNet')

    def init_weights(self) -> None:
        if self.pretrained:
            load_backbone_checkpoint(self, self.pretrained, convert=sum_rgb_conv1)
        else:
            super().init_weights()

    def forward(self, x: Tensor) -> Tensor:
        """``[B, 1, F, L]`` -> ``[B, m, F/32, L/32]`` (m = 512 for ResNet-18)."""
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        return run_stages(self, x)
