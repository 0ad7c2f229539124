"""fusion_statistics: how peaked the cross-modal attention is, how far its gates opened,
how saturated the tanh."""

import pytest
import torch

from avemo_mm.evaluation import fusion_statistics
from avemo_mm.evaluation.fusion_statistics import snippet_variance_share


def test_uniform_attention_and_half_saturated_features():
    uniform = torch.full((2, 4, 4), 0.25)  # [B, N, N]
    sums = torch.tensor([3.0, -2.5, 1.5, 0.0]).expand(2, 4, 4)  # half beyond |2|
    gates = torch.tensor([0.25, -0.5])
    stats = fusion_statistics(
        dict(w_audio=uniform, w_video=uniform, gates=gates, sum_audio=sums, sum_video=sums / 2)
    )
    assert stats['attention_max_weight'] == pytest.approx(0.25) == stats['uniform_weight']
    assert stats['tanh_saturated_audio'] == 0.5 and stats['tanh_saturated_video'] == 0.0
    assert (stats['cross_gate_audio'], stats['cross_gate_video']) == (0.25, -0.5)


def test_attention_to_one_snippet_has_weight_one():
    peaked = torch.eye(3).expand(1, 3, 3)
    sums = torch.full((1, 3, 2), 3.0)
    stats = fusion_statistics(
        dict(w_audio=peaked, w_video=peaked, gates=torch.ones(2), sum_audio=sums, sum_video=sums)
    )
    assert stats['attention_max_weight'] == 1.0 and stats['tanh_saturated_video'] == 1.0


def test_snippet_variance_share():
    clips = torch.randn(5, 1, 8).expand(5, 4, 8)  # [B, N, m']: every snippet alike
    assert snippet_variance_share(clips) == pytest.approx(0.0, abs=1e-6)
    snippets = torch.randn(1, 2000, 8)  # one clip: all the variance is between snippets
    assert snippet_variance_share(snippets) == pytest.approx(1.0)
    half = torch.stack([torch.zeros(8), torch.ones(8)]).expand(3, 2, 8)  # [B, 2, m']
    assert snippet_variance_share(half) == pytest.approx(1.0)
    uniform = torch.full((1, 2, 2), 0.5)
    stats = fusion_statistics(
        dict(
            w_audio=uniform,
            w_video=uniform,
            gates=torch.ones(2),
            sum_audio=half[:1],
            sum_video=half[:1],
        ),
        audio=clips[:1, :2],
    )
    assert stats['snippet_share_audio'] == pytest.approx(0.0, abs=1e-6)
    assert 'snippet_share_video' not in stats
