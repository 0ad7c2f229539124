"""What a trained cross-attention fusion does with its inputs (docs/method.md,
"Learning from both modalities")."""

from __future__ import annotations

import torch
from torch import Tensor


def snippet_variance_share(features: Tensor) -> float:
    """The share of the features' variance that lies between the snippets of a clip.

    0 when every snippet of a clip has the same features (the cross-modal attention
    then has nothing to choose between: its weights are uniform whatever W is), about
    1 when the clips differ no more than their snippets do.

    Args:
        features (Tensor): ``D^AT`` or ``D^VT`` ``[B, N, m']``.

    Returns:
        float: mean over m' of the variance over the N snippets of a clip (averaged
        over clips), divided by the variance over all ``B N`` snippets.
    """
    within = features.var(dim=1, unbiased=False).mean()
    total = features.reshape(-1, features.shape[-1]).var(dim=0, unbiased=False).mean()
    return float(within / total.clamp_min(1e-12))


def fusion_statistics(
    out: dict[str, Tensor], audio: Tensor | None = None, video: Tensor | None = None
) -> dict[str, float]:
    """How much the cross-modal attention attends, how far its gates opened, and how
    much a skip tanh squashes (or would).

    ``attention_max_weight``: the largest weight of each column of W^Audio and W^Video,
    averaged (1/N when the attention is uniform, 1 when each snippet attends to one);
    ``cross_gate_audio``, ``cross_gate_video``: ``g_A``, ``g_V`` (1 for the ungated
    sum); ``tanh_saturated_*``: the share of the skip sums ``D + g D~`` beyond |2|,
    where the paper's skip tanh (``skip_tanh=True``) passes 7% of the gradient or less
    and the head sees little more than their sign; given the branch features,
    ``snippet_share_*``: :func:`snippet_variance_share` of each.

    Args:
        out (dict[str, Tensor]): :meth:`CrossAttentionFusionHead.forward`'s outputs
            with ``fusion='cross_attention'``: ``w_audio``, ``w_video`` ``[B, N, N]``,
            ``gates`` ``[2]``, ``sum_audio``, ``sum_video`` ``[B, N, m']``.
        audio (Tensor, optional): ``D^AT`` ``[B, N, m']``, the head's input.
        video (Tensor, optional): ``D^VT`` ``[B, N, m']``, the head's input.

    Returns:
        dict[str, float]: ``attention_max_weight``, ``uniform_weight`` (1/N),
        ``cross_gate_audio``, ``cross_gate_video``, ``tanh_saturated_audio``,
        ``tanh_saturated_video`` and, for each branch given, ``snippet_share_audio``,
        ``snippet_share_video``.
    """
    weights = torch.cat([out['w_audio'], out['w_video']]).detach()  # [2B, N, N], columns sum to 1
    stats = dict(
        attention_max_weight=float(weights.max(dim=1).values.mean()),
        uniform_weight=1.0 / weights.shape[1],
        cross_gate_audio=float(out['gates'][0]),
        cross_gate_video=float(out['gates'][1]),
        tanh_saturated_audio=float((out['sum_audio'].abs() > 2).float().mean()),
        tanh_saturated_video=float((out['sum_video'].abs() > 2).float().mean()),
    )
    for name, features in (('audio', audio), ('video', video)):
        if features is not None:
            stats[f'snippet_share_{name}'] = snippet_variance_share(features)
    return stats
