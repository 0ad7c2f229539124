"""Multi-head self-attention over a sequence of tokens (the paper's Eq. 1-3)."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from mmengine.model import BaseModule
from torch import Tensor, nn


class MultiHeadSelfAttention(BaseModule):
    """``softmax(Q K^T / sqrt(d)) V`` per head, heads concatenated, then ``W_0``.

    Per head, Q, K and V are projections of the tokens to ``dim / num_heads``
    (``W_h`` in the paper); the concatenated heads are projected by ``W_0`` to
    ``out_dim``. The three input projections are one fused linear layer and the
    attention is ``torch.nn.functional.scaled_dot_product_attention``; the weights are
    computed explicitly only when asked for (visualisation).

    Args:
        dim (int): Token width D.
        num_heads (int): H; must divide ``dim``.
        out_dim (int, optional): Width after ``W_0``. Defaults to ``dim``.
        qkv_bias (bool): Bias in the input projections. Defaults to ``True``.
        residual (bool): **Decision** (the paper names none): ``x + attention(x)``,
            then ``LayerNorm`` over the width when ``norm``; needs ``out_dim == dim``.
            Defaults to ``False``.
        norm (bool): With ``residual``, normalise over the token width. Defaults to
            ``True``.
        init_cfg (dict | list[dict], optional): Initialisation. Defaults to Xavier
            for the linear layers.
    """

    def __init__(
        self,
        dim: int,
        num_heads: int,
        out_dim: int | None = None,
        qkv_bias: bool = True,
        residual: bool = False,
        norm: bool = True,
        init_cfg: dict | list[dict] | None = None,
    ) -> None:
        super().__init__(init_cfg=init_cfg or dict(type='Xavier', layer='Linear'))
        out_dim = out_dim or dim
        if num_heads < 1 or dim % num_heads:
            raise ValueError(f'num_heads={num_heads} must divide the token width {dim}')
        if residual and out_dim != dim:
            raise ValueError(f'residual=True needs out_dim == dim, got {out_dim} != {dim}')
        self.dim, self.num_heads, self.out_dim = dim, num_heads, out_dim
        self.head_dim = dim // num_heads
        self.qkv = nn.Linear(dim, 3 * dim, bias=qkv_bias)
        self.proj = nn.Linear(dim, out_dim)
        self.residual = residual
        self.norm = nn.LayerNorm(dim) if residual and norm else None

    def forward(self, x: Tensor, return_attention: bool = False) -> tuple[Tensor, Tensor | None]:
        """Attend.

        Args:
            x (Tensor): ``[B, Q, d]``: Q tokens of width d.
            return_attention (bool): Also return the weights. Defaults to ``False``.

        Returns:
            tuple[Tensor, Tensor | None]: ``[B, Q, out_dim]`` and, on request, the
            weights ``[B, H, Q, Q]`` (each row sums to one).
        """
        batch, length, _ = x.shape
        qkv = self.qkv(x).reshape(batch, length, 3, self.num_heads, self.head_dim)
        q, k, v = qkv.permute(2, 0, 3, 1, 4)  # each [B, H, Q, d/H]
        weights = None
        if return_attention:
            weights = torch.softmax(q @ k.transpose(-2, -1) * self.head_dim**-0.5, dim=-1)
            out = weights @ v  # [B, H, Q, d/H]
        else:
            out = F.scaled_dot_product_attention(q, k, v)
        out = self.proj(out.transpose(1, 2).reshape(batch, length, self.dim))  # [B, Q, out_dim]
        if self.residual:
            out = x + out
        if self.norm is not None:
            out = self.norm(out)
        return out, weights


def temporal_attention_stage(
    in_channels: int, out_channels: int, num_heads: int, use_temporal: bool, residual: bool
) -> tuple[MultiHeadSelfAttention | None, nn.Linear | None]:
    """VT / AT over the N snippet tokens, and the projection to m' where one is needed.

    The paper's form attends and projects in one (``W_0``: C -> m'); with
    ``residual`` the attention keeps width C (``LayerNorm(x + attention(x))``) and a
    linear layer projects C -> m'; without the stage a linear layer C -> m' stands in.

    Returns:
        tuple: ``(attention or None, projection or None)``, applied in that order.
    """
    if not use_temporal:
        return None, nn.Linear(in_channels, out_channels)
    if not residual:
        return MultiHeadSelfAttention(in_channels, num_heads, out_dim=out_channels), None
    attention = MultiHeadSelfAttention(in_channels, num_heads, residual=True)
    return attention, nn.Linear(in_channels, out_channels)
