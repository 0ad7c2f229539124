"""The visual branch's attention: spatial (VS), channel (VC), temporal (VT). Sec. 3.1."""

from __future__ import annotations

from mmaction.registry import MODELS
from mmengine.model import BaseModule
from torch import Tensor

from .multi_head_self_attention import MultiHeadSelfAttention, temporal_attention_stage


def channel_heads_for(num_tokens: int, num_heads: int) -> int:
    """**Decision**: the largest head count <= ``num_heads`` that divides s.

    The channel attention's tokens have width s (the spatial positions), which must
    be divisible by its head count; s = 49 at 224 px takes 7 heads.
    """
    return max(h for h in range(1, num_heads + 1) if num_tokens % h == 0)


@MODELS.register_module()
class VisualAttentionNeck(BaseModule):
    """VS, VC and VT self-attention over the 3D backbone's snippet features.

    Shapes: B clips, N snippets, m channels, s = h * w spatial positions, m' output.

    1. The backbone's ``[B*N, m, k', h, w]`` features are averaged over k' (a 3D
       ResNet at 16 frames leaves k' = 1) and flattened to s tokens of width m.
    2. VS: attention over the s spatial tokens (width m, ``num_heads`` heads).
    3. VC: transposed, attention over the m channel tokens (width s).
    4. Spatial average -> one m-vector per snippet; ``[B, N, m]``.
    5. VT: attention over the N snippet tokens, output projection m -> m'.

    Each stage can be switched off for the ablations (VS, VS+VC, VS+VC+VT); without
    VT a linear layer m -> m' stands in for its output projection.

    Args:
        in_channels (int): m, the backbone's output channels (2048 for Hara's
            ResNet-101; never hard-coded).
        spatial_tokens (int): s = h * w of the backbone's output (49 at 224 px);
            needed for the channel attention's widths and checked at run time.
        out_channels (int): m'. Defaults to ``512``.
        num_heads (int): H. Defaults to ``8``.
        channel_heads (int | str): Heads of VC; ``'auto'`` picks the largest count
            <= ``num_heads`` dividing s; an explicit count that does not divide s is an
            error. Defaults to ``'auto'``.
        use_spatial (bool): VS. Defaults to ``True``.
        use_channel (bool): VC. Defaults to ``True``.
        use_temporal (bool): VT. Defaults to ``True``.
        residual (bool): Residual connections: ``LayerNorm(x + VS(x))``,
            ``x + VC(x)`` (a LayerNorm over the s positions would erase the spatial
            average that VT pools), and VT at width m with a residual before a linear
            m -> m'. Without them (the paper's form) VC mixes every channel token
            with all the others, and a network trained from scratch can start with
            all channels alike: the tiny CPU config did not learn at all without
            them. Defaults to ``False`` (the paper's form).
        init_cfg (dict, optional): Initialisation. Defaults to ``None``.
    """

    def __init__(
        self,
        in_channels: int,
        spatial_tokens: int,
        out_channels: int = 512,
        num_heads: int = 8,
        channel_heads: int | str = 'auto',
        use_spatial: bool = True,
        use_channel: bool = True,
        use_temporal: bool = True,
        residual: bool = False,
        init_cfg: dict | None = None,
    ) -> None:
        super().__init__(init_cfg=init_cfg)
        if channel_heads == 'auto':
            channel_heads = channel_heads_for(spatial_tokens, num_heads)
        elif spatial_tokens % int(channel_heads):
            raise ValueError(
                f'channel_heads={channel_heads} does not divide the {spatial_tokens} spatial '
                f"positions; use channel_heads='auto' (here: "
                f'{channel_heads_for(spatial_tokens, num_heads)})'
            )
        self.in_channels, self.spatial_tokens, self.out_channels = (
            in_channels,
            spatial_tokens,
            out_channels,
        )
        self.channel_heads = int(channel_heads)
        self.spatial = (
            MultiHeadSelfAttention(in_channels, num_heads, residual=residual)
            if use_spatial
            else None
        )
        self.channel = (
            # no LayerNorm over the s positions here: it would zero the spatial
            # average that VT pools, leaving only the norm's bias
            MultiHeadSelfAttention(
                spatial_tokens, self.channel_heads, residual=residual, norm=False
            )
            if use_channel
            else None
        )
        self.temporal, self.project = temporal_attention_stage(
            in_channels, out_channels, num_heads, use_temporal, residual
        )

    def forward(
        self, x: Tensor, num_snippets: int, return_attention: bool = False
    ) -> tuple[Tensor, dict[str, Tensor]]:
        """Attend over one batch of snippet features.

        Args:
            x (Tensor): ``[B*N, m, k', h, w]`` (or ``[B*N, m, h, w]``).
            num_snippets (int): N.
            return_attention (bool): Also return the weights. Defaults to ``False``.

        Returns:
            tuple[Tensor, dict[str, Tensor]]: ``D^VT`` ``[B, N, m']`` and, on request,
            ``spatial`` ``[B*N, H, s, s]``, ``channel`` ``[B*N, Hc, m, m]``,
            ``temporal`` ``[B, H, N, N]`` (for the stages switched on).
        """
        if x.dim() == 5:
            x = x.mean(dim=2)  # [B*N, m, h, w]: pool what is left of time
        bn, channels, height, width = x.shape
        if channels != self.in_channels or height * width != self.spatial_tokens:
            raise ValueError(
                f'VisualAttentionNeck was built for {self.in_channels} channels x '
                f'{self.spatial_tokens} positions, got {channels} x {height}x{width}: set '
                'in_channels and spatial_tokens for this backbone and input size'
            )
        attention = {}
        tokens = x.flatten(2).transpose(1, 2)  # [B*N, s, m]
        if self.spatial is not None:
            tokens, attention['spatial'] = self.spatial(tokens, return_attention)
        if self.channel is not None:
            channel_tokens, attention['channel'] = self.channel(
                tokens.transpose(1, 2), return_attention
            )  # [B*N, m, s]
            pooled = channel_tokens.mean(dim=2)  # [B*N, m]
        else:
            pooled = tokens.mean(dim=1)  # [B*N, m]
        # -1, not bn // num_snippets: an exported graph keeps its batch axis free
        snippets = pooled.reshape(-1, num_snippets, channels)  # [B, N, m]
        if self.temporal is not None:
            snippets, attention['temporal'] = self.temporal(snippets, return_attention)
        if self.project is not None:
            snippets = self.project(snippets)  # [B, N, m']
        return snippets, {k: v for k, v in attention.items() if v is not None}
