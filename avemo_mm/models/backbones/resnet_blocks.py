"""Residual blocks in the layout of torchvision and of Hara et al.'s 3D ResNets.

Both name their layers ``conv1``, ``bn1``, ``conv2``, ``bn2`` (``conv3``, ``bn3``)
and ``downsample.0`` / ``downsample.1``, so one implementation serves the 2D audio
backbone and the 3D video backbone (``ndim`` picks Conv2d/Conv3d) and loads both
published checkpoint layouts as they are.
"""

from __future__ import annotations

from torch import Tensor, nn

_CONV = {2: nn.Conv2d, 3: nn.Conv3d}
_NORM = {2: nn.BatchNorm2d, 3: nn.BatchNorm3d}


def conv(ndim: int, in_planes: int, out_planes: int, kernel: int, stride: int = 1) -> nn.Module:
    """A bias-free convolution with 'same' padding for odd kernels."""
    return _CONV[ndim](
        in_planes, out_planes, kernel, stride=stride, padding=kernel // 2, bias=False
    )


class BasicBlock(nn.Module):
    """Two 3x3(x3) convolutions with a shortcut."""

    expansion = 1

    def __init__(
        self,
        ndim: int,
        in_planes: int,
        planes: int,
        stride: int = 1,
        downsample: nn.Module | None = None,
    ) -> None:
        super().__init__()
        self.conv1 = conv(ndim, in_planes, planes, 3, stride)
        self.bn1 = _NORM[ndim](planes)
        self.conv2 = conv(ndim, planes, planes, 3)
        self.bn2 = _NORM[ndim](planes)
        self.relu = nn.ReLU(inplace=True)
        self.downsample = downsample

    def forward(self, x: Tensor) -> Tensor:
        identity = x if self.downsample is None else self.downsample(x)
        out = self.relu(self.bn1(self.conv1(x)))
        return self.relu(self.bn2(self.conv2(out)) + identity)


class Bottleneck(nn.Module):
    """1x1 -> 3x3 -> 1x1 (x1) convolutions, expansion 4, stride on the 3x3."""

    expansion = 4

    def __init__(
        self,
        ndim: int,
        in_planes: int,
        planes: int,
        stride: int = 1,
        downsample: nn.Module | None = None,
    ) -> None:
        super().__init__()
        self.conv1 = conv(ndim, in_planes, planes, 1)
        self.bn1 = _NORM[ndim](planes)
        self.conv2 = conv(ndim, planes, planes, 3, stride)
        self.bn2 = _NORM[ndim](planes)
        self.conv3 = conv(ndim, planes, planes * 4, 1)
        self.bn3 = _NORM[ndim](planes * 4)
        self.relu = nn.ReLU(inplace=True)
        self.downsample = downsample

    def forward(self, x: Tensor) -> Tensor:
        identity = x if self.downsample is None else self.downsample(x)
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.relu(self.bn2(self.conv2(out)))
        return self.relu(self.bn3(self.conv3(out)) + identity)


def make_stage(
    ndim: int, block: type, in_planes: int, planes: int, blocks: int, stride: int
) -> tuple[nn.Sequential, int]:
    """One stage; a 1x1 conv + BN shortcut ("type B") where the shape changes."""
    downsample = None
    if stride != 1 or in_planes != planes * block.expansion:
        downsample = nn.Sequential(
            conv(ndim, in_planes, planes * block.expansion, 1, stride),
            _NORM[ndim](planes * block.expansion),
        )
    layers = [block(ndim, in_planes, planes, stride, downsample)]
    in_planes = planes * block.expansion
    layers += [block(ndim, in_planes, planes) for _ in range(1, blocks)]
    return nn.Sequential(*layers), in_planes


# depth -> (block, blocks per stage), as torchvision and Hara et al.
ARCH_ZOO = {
    10: (BasicBlock, (1, 1, 1, 1)),
    18: (BasicBlock, (2, 2, 2, 2)),
    34: (BasicBlock, (3, 4, 6, 3)),
    50: (Bottleneck, (3, 4, 6, 3)),
    101: (Bottleneck, (3, 4, 23, 3)),
    152: (Bottleneck, (3, 8, 36, 3)),
    200: (Bottleneck, (3, 24, 36, 3)),
}


def arch(depth: int, owner: str) -> tuple[type, tuple[int, ...]]:
    if depth not in ARCH_ZOO:
        raise ValueError(f'{owner}: depth must be one of {sorted(ARCH_ZOO)}, got {depth}')
    return ARCH_ZOO[depth]


def default_init_cfg(ndim: int) -> list[dict]:
    """Kaiming for convolutions, constant for BN: torchvision's and Hara et al.'s init."""
    return [
        dict(type='Kaiming', layer=f'Conv{ndim}d', mode='fan_out', nonlinearity='relu'),
        dict(type='Constant', layer=f'BatchNorm{ndim}d', val=1, bias=0),
    ]


def add_stages(module: nn.Module, ndim: int, depth: int, base_channels: int, owner: str) -> int:
    """Add ``layer1`` .. ``layer4`` to ``module`` (first stride 1, then 2).

    Returns:
        int: The output channels of ``layer4``.
    """
    block, stages = arch(depth, owner)
    planes = base_channels
    for i, blocks in enumerate(stages):
        stage, planes = make_stage(
            ndim, block, planes, base_channels * 2**i, blocks, stride=1 if i == 0 else 2
        )
        module.add_module(f'layer{i + 1}', stage)
    return planes


def run_stages(module: nn.Module, x: Tensor) -> Tensor:
    """``layer1`` .. ``layer4`` of ``module`` in order."""
    for i in range(1, 5):
        x = getattr(module, f'layer{i}')(x)
    return x
