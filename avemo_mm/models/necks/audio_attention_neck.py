"""The audio branch's temporal attention (AT), Sec. 3.2."""

from __future__ import annotations

from mmaction.registry import MODELS
from mmengine.model import BaseModule
from torch import Tensor

from .multi_head_self_attention import temporal_attention_stage


@MODELS.register_module()
class AudioAttentionNeck(BaseModule):
    """AT: attention over the N spectrogram segments of a clip.

    The 2D backbone's ``[B*N, m, h, w]`` features are averaged over space (d_ai,
    m = 512 for ResNet-18), stacked per clip to ``[B, N, m]`` and attended over the
    N segment tokens, with the output projection C -> m'.

    With ``residual=True`` AT is ``LayerNorm(x + attention(x))`` at width C and a
    linear layer projects C -> m', as VT in :class:`VisualAttentionNeck` with
    ``residual=True``.

    Args:
        in_channels (int): C of the audio backbone. Defaults to ``512``.
        out_channels (int): m'. Defaults to ``512``.
        num_heads (int): H. Defaults to ``8``.
        use_temporal (bool): AT on; off, a linear layer C -> m' stands in.
            Defaults to ``True``.
        residual (bool): **Decision** (the paper names none): a residual
            connection and LayerNorm around AT, then C -> m'. Defaults to ``False``
            (the paper's form).
        init_cfg (dict, optional): Initialisation. Defaults to ``None``.
    """

    def __init__(
        self,
        in_channels: int = 512,
        out_channels: int = 512,
        num_heads: int = 8,
        use_temporal: bool = True,
        residual: bool = False,
        init_cfg: dict | None = None,
    ) -> None:
        super().__init__(init_cfg=init_cfg)
        self.in_channels, self.out_channels = in_channels, out_channels
        self.temporal, self.project = temporal_attention_stage(
            in_channels, out_channels, num_heads, use_temporal, residual
        )

    def forward(
        self, x: Tensor, num_snippets: int, return_attention: bool = False
    ) -> tuple[Tensor, dict[str, Tensor]]:
        """Attend.

        Args:
            x (Tensor): ``[B*N, m, h, w]`` backbone features.
            num_snippets (int): N.
            return_attention (bool): Also return the weights. Defaults to ``False``.

        Returns:
            tuple[Tensor, dict[str, Tensor]]: ``D^AT`` ``[B, N, m']`` and, on
            request, ``temporal`` ``[B, H, N, N]``.
        """
        if x.shape[1] != self.in_channels:
            raise ValueError(
                f'AudioAttentionNeck expects {self.in_channels} channels, got '
                f'{x.shape[1]}: set in_channels for this backbone'
            )
        pooled = x.flatten(2).mean(dim=2)  # [B*N, m]
        segments = pooled.reshape(-1, num_snippets, pooled.shape[1])  # [B, N, m]
        attention = {}
        if self.temporal is not None:
            segments, weights = self.temporal(segments, return_attention)
            if weights is not None:
                attention['temporal'] = weights
        if self.project is not None:
            segments = self.project(segments)  # [B, N, m']
        return segments, attention
