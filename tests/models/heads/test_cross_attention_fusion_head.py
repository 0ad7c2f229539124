"""CrossAttentionFusionHead against a direct computation of the equations."""

import pytest
import torch
from mmaction.registry import MODELS
from mmaction.structures import ActionDataSample

import avemo_mm  # noqa: F401


def _head(**kwargs):
    cfg = dict(
        type='CrossAttentionFusionHead',
        num_classes=3,
        in_channels=2,
        num_snippets=2,
        embed_channels=4,
        dropout_ratio=0.0,
    )
    cfg.update(kwargs)
    return MODELS.build(cfg)


def test_fusion_equals_the_equations_on_a_2x2_case():
    head = _head()
    with torch.no_grad():
        head.correlation.copy_(torch.tensor([[1.0, 0.0], [0.5, 2.0]]))
    audio = torch.tensor([[[1.0, 0.0], [0.0, 1.0]]])  # D^AT, N = 2, m' = 2
    video = torch.tensor([[[0.5, 1.0], [2.0, -1.0]]])  # D^VT
    out = head.fuse(audio, video)
    # Corr = A W V^T computed element by element
    w = head.correlation.detach()
    corr = torch.tensor(
        [
            [
                sum(audio[0, i, p] * w[p, q] * video[0, j, q] for p in range(2) for q in range(2))
                for j in range(2)
            ]
            for i in range(2)
        ]
    )
    assert torch.allclose(out['corr'][0], corr)
    # column-wise softmax: W[i, j] = exp(C[i, j]) / sum_i' exp(C[i', j])
    w_audio = torch.exp(corr) / torch.exp(corr).sum(dim=0, keepdim=True)
    w_video = torch.exp(corr.t()) / torch.exp(corr.t()).sum(dim=0, keepdim=True)
    assert torch.allclose(out['w_audio'][0], w_audio)
    assert torch.allclose(out['w_video'][0], w_video)
    assert torch.allclose(out['w_audio'].sum(dim=1), torch.ones(1, 2))  # columns sum to one
    assert torch.allclose(out['audio'][0], torch.tanh(audio[0] + w_audio @ audio[0]))
    assert torch.allclose(out['video'][0], torch.tanh(video[0] + w_video @ video[0]))
    # concatenation [VT ; AT] -> FC -> ReLU -> FC
    result = head(audio, video)
    fused = torch.cat([out['video'][0].flatten(), out['audio'][0].flatten()])
    embedding = head.fc_embed(fused)  # before the ReLU (docs/method.md)
    assert torch.allclose(result['embedding'][0], embedding, atol=1e-6)
    assert torch.allclose(result['logits'][0], head.fc_cls(torch.relu(embedding)), atol=1e-6)


@pytest.mark.parametrize('modality', ['audio', 'video'])
def test_unimodal_ablations(modality):
    head = _head(modality=modality)
    x = torch.randn(3, 2, 2)
    args = (x, None) if modality == 'audio' else (None, x)
    out = head(*args)
    assert out['logits'].shape == (3, 3) and 'corr' not in out
    assert head.fc_embed.in_features == 4  # N m', one branch
    with pytest.raises(ValueError, match=f"modality='{modality}' needs"):
        head(*reversed(args))


def test_loss_and_predict_use_data_samples():
    head = _head(
        loss_metric=dict(type='EmotionMetricLoss', polarities=('positive', 'negative', 'neutral'))
    )
    samples = [ActionDataSample().set_gt_label(label) for label in (0, 0, 1, 2)]
    audio, video = torch.randn(4, 2, 2), torch.randn(4, 2, 2)
    losses = head.loss(audio, video, samples)
    assert set(losses) == {'loss_cls', 'loss_metric', 'top1_acc'}
    assert losses['loss_cls'].requires_grad and torch.isfinite(losses['loss_metric'])
    predicted = head.predict(audio, video, samples)
    assert predicted[0].pred_score.shape == (3,) and predicted[0].embedding.shape == (4,)
    assert torch.isclose(predicted[0].pred_score.sum(), torch.tensor(1.0))
    with pytest.raises(ValueError, match='expects 8 fused features'):
        head(torch.randn(1, 3, 2), torch.randn(1, 3, 2))
    with pytest.raises(ValueError, match='modality must be one of'):
        _head(modality='text')
