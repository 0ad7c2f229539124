"""Self-attention and the two attention necks."""

import pytest
import torch
from mmaction.registry import MODELS

import avemo_mm  # noqa: F401
from avemo_mm.models.necks import MultiHeadSelfAttention, channel_heads_for


def test_attention_matches_the_equations_head_by_head():
    torch.manual_seed(0)
    attn = MultiHeadSelfAttention(dim=8, num_heads=2, out_dim=6)
    attn.init_weights()
    x = torch.randn(3, 5, 8)  # [B, L, D]
    out, weights = attn(x, return_attention=True)
    w_qkv, b_qkv = attn.qkv.weight, attn.qkv.bias
    heads = []
    for h in range(2):  # Eq. 1-2: per head Q, K, V = x W_h; softmax(Q K^T / sqrt(d)) V
        rows = [slice(i * 8 + h * 4, i * 8 + h * 4 + 4) for i in range(3)]
        q, k, v = (x @ w_qkv[r].t() + b_qkv[r] for r in rows)
        a = torch.softmax(q @ k.transpose(1, 2) / 2.0, dim=-1)  # sqrt(4) = 2
        assert torch.allclose(a, weights[:, h], atol=1e-6)
        heads.append(a @ v)
    expected = attn.proj(torch.cat(heads, dim=-1))  # Eq. 3: concat, W_0
    assert out.shape == (3, 5, 6) and torch.allclose(out, expected, atol=1e-5)
    fused, none = attn(x)  # the scaled_dot_product_attention path
    assert none is None and torch.allclose(fused, out, atol=1e-5)
    assert torch.allclose(weights.sum(dim=-1), torch.ones(3, 2, 5))


def test_attention_settings_are_checked():
    with pytest.raises(ValueError, match='must divide the token width 10'):
        MultiHeadSelfAttention(10, 3)
    with pytest.raises(ValueError, match='residual=True needs out_dim == dim'):
        MultiHeadSelfAttention(8, 2, out_dim=4, residual=True)
    res = MultiHeadSelfAttention(8, 2, residual=True)
    assert res(torch.randn(2, 3, 8))[0].shape == (2, 3, 8)


def _visual(**kwargs):
    cfg = dict(
        type='VisualAttentionNeck', in_channels=16, spatial_tokens=4, out_channels=12, num_heads=4
    )
    cfg.update(kwargs)
    return MODELS.build(cfg)


@pytest.mark.parametrize(
    'stages',
    [(True, False, False), (True, True, False), (True, True, True), (False, False, False)],
)
def test_visual_neck_ablations_and_shapes(stages):
    use_spatial, use_channel, use_temporal = stages
    neck = _visual(use_spatial=use_spatial, use_channel=use_channel, use_temporal=use_temporal)
    x = torch.randn(2 * 6, 16, 2, 2, 2)  # [B*N, m, T', h, w], T' = 2 is averaged
    out, attention = neck(x, num_snippets=6, return_attention=True)
    assert out.shape == (2, 6, 12)
    expected = {k for k, on in zip(('spatial', 'channel', 'temporal'), stages, strict=True) if on}
    assert set(attention) == expected
    shapes = dict(spatial=(12, 4, 4, 4), channel=(12, 4, 16, 16), temporal=(2, 4, 6, 6))
    for name, weights in attention.items():
        assert weights.shape == shapes[name]
        assert torch.allclose(weights.sum(-1), torch.ones(weights.shape[:-1]), atol=1e-5)


def test_visual_neck_residual_variant_and_size_checks():
    assert _visual(residual=True)(torch.randn(6, 16, 2, 2), 3)[0].shape == (2, 3, 12)
    assert channel_heads_for(49, 8) == 7 and channel_heads_for(16, 8) == 8
    assert _visual(spatial_tokens=9, num_heads=4).channel_heads == 3
    with pytest.raises(ValueError, match='channel_heads=2 does not divide the 9 spatial'):
        _visual(spatial_tokens=9, channel_heads=2)
    with pytest.raises(ValueError, match='built for 16 channels x 4 positions, got 16 x 3x3'):
        _visual()(torch.randn(6, 16, 3, 3), 3)


def test_audio_neck():
    neck = MODELS.build(
        dict(type='AudioAttentionNeck', in_channels=8, out_channels=6, num_heads=2)
    )
    out, attention = neck(torch.randn(2 * 6, 8, 3, 3), num_snippets=6, return_attention=True)
    assert out.shape == (2, 6, 6) and attention['temporal'].shape == (2, 2, 6, 6)
    plain = MODELS.build(
        dict(type='AudioAttentionNeck', in_channels=8, out_channels=6, use_temporal=False)
    )
    assert plain(torch.randn(6, 8, 1, 1), 3)[0].shape == (2, 3, 6)
    with pytest.raises(ValueError, match='expects 8 channels, got 5'):
        neck(torch.randn(6, 5, 1, 1), 3)


def test_audio_neck_residual_variant_is_attention_plus_input_then_projection():
    neck = MODELS.build(
        dict(type='AudioAttentionNeck', in_channels=8, out_channels=6, num_heads=2, residual=True)
    )
    x = torch.randn(2 * 3, 8, 1, 1)
    out, attention = neck(x, num_snippets=3, return_attention=True)
    segments = x.flatten(1).reshape(2, 3, 8)
    attended, _ = neck.temporal(segments)
    assert neck.temporal.residual and attention['temporal'].shape == (2, 2, 3, 3)
    expected = neck.project(attended)  # LayerNorm(x + attention(x)) -> C -> m'
    assert out.shape == (2, 3, 6) and torch.allclose(out, expected, atol=1e-6)


def test_residual_channel_attention_keeps_each_channels_spatial_average():
    """VC's residual has no LayerNorm over the s positions: the pooled channels survive."""
    neck = _visual(residual=True, use_spatial=False, use_temporal=False).eval()
    x = torch.randn(6, 16, 2, 2) * 3 + torch.arange(16.0).view(1, 16, 1, 1)
    tokens = x.flatten(2).transpose(1, 2)  # [B*N, s, m]
    channel_tokens, _ = neck.channel(tokens.transpose(1, 2))  # [B*N, m, s]
    pooled = channel_tokens.mean(dim=2)  # what VT receives
    # x + VC(x): the channels' own averages are still there, not erased to a constant
    assert (
        torch.corrcoef(torch.stack([pooled.flatten(), x.mean(dim=(2, 3)).flatten()]))[0, 1] > 0.9
    )
    assert pooled.std(dim=1).mean() > 1.0
