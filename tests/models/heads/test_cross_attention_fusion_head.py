"""CrossAttentionFusionHead against a direct computation of the equations."""

import math

import pytest
import torch
from mmaction.registry import MODELS
from mmaction.structures import ActionDataSample

import avemo_mm  # noqa: F401

W = torch.tensor([[1.0, 0.0], [0.5, 2.0]])
AUDIO = torch.tensor([[[1.0, 0.0], [0.0, 1.0]]])  # D^AT, N = 2, m' = 2
VIDEO = torch.tensor([[[0.5, 1.0], [2.0, -1.0]]])  # D^VT


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


def _literal_head(**kwargs):
    """The paper's letter: no input norm, no 1 / sqrt(m'), no gate, the skip tanh, W set
    by hand."""
    kwargs = {'skip_tanh': True, **kwargs}
    head = _head(input_norm=False, scale_corr=False, cross_gate=None, **kwargs)
    with torch.no_grad():
        head.correlation.weight.copy_(W)
    return head


def _corr_by_hand():
    """Corr = A W V^T, element by element."""
    return torch.tensor(
        [
            [
                sum(AUDIO[0, i, p] * W[p, q] * VIDEO[0, j, q] for p in range(2) for q in range(2))
                for j in range(2)
            ]
            for i in range(2)
        ]
    )


def _column_softmax(c):
    """W[i, j] = exp(C[i, j]) / sum_i' exp(C[i', j])."""
    return torch.exp(c) / torch.exp(c).sum(dim=0, keepdim=True)


def test_weighted_average_form_equals_the_equations_on_a_2x2_case():
    head = _literal_head()
    out = head.fuse(AUDIO, VIDEO)
    corr = _corr_by_hand()
    assert torch.allclose(out['corr'][0], corr)
    w_audio, w_video = _column_softmax(corr), _column_softmax(corr.t())
    assert torch.allclose(out['w_audio'][0], w_audio)
    assert torch.allclose(out['w_video'][0], w_video)
    assert torch.allclose(out['w_audio'].sum(dim=1), torch.ones(1, 2))  # columns sum to one
    # row j of D~^AT = sum_i W^Audio[i, j] a_i: for video snippet j, the audio segments
    # weighted by their correlation with it, a convex combination
    for j in range(2):
        expected = sum(w_audio[i, j] * AUDIO[0, i] for i in range(2))
        assert torch.allclose(out['attended_audio'][0, j], expected)
        expected = sum(w_video[i, j] * VIDEO[0, i] for i in range(2))
        assert torch.allclose(out['attended_video'][0, j], expected)
    assert torch.allclose(out['corr_audio'][0], torch.tanh(AUDIO[0] + w_audio.t() @ AUDIO[0]))
    assert torch.allclose(out['corr_video'][0], torch.tanh(VIDEO[0] + w_video.t() @ VIDEO[0]))
    # concatenation [VT ; AT] -> FC -> BN -> ReLU -> FC
    head.eval()  # the BN's running statistics: one clip is a batch of one
    result = head(AUDIO, VIDEO)
    fused = torch.cat([out['corr_video'][0].flatten(), out['corr_audio'][0].flatten()])
    embedding = head.fc_embed(fused)  # before the norm and the ReLU (docs/method.md)
    assert torch.allclose(result['embedding'][0], embedding, atol=1e-6)
    normed = (embedding - head.embed_norm.running_mean) / (
        head.embed_norm.running_var + 1e-5
    ) ** 0.5
    assert torch.allclose(result['logits'][0], head.fc_cls(torch.relu(normed)), atol=1e-5)


def test_printed_form_equals_the_printed_product():
    head = _literal_head(eq8='printed')
    out = head.fuse(AUDIO, VIDEO)
    w_audio = _column_softmax(_corr_by_hand())
    w_video = _column_softmax(_corr_by_hand().t())
    # row i of W^Audio D^AT sums W^Audio[i, j] a_j over j: its weights need not sum to 1
    assert torch.allclose(out['attended_audio'][0], w_audio @ AUDIO[0])
    assert torch.allclose(out['attended_video'][0], w_video @ VIDEO[0])
    assert not torch.allclose(w_audio.sum(dim=1), torch.ones(2))  # here they do not
    assert torch.allclose(out['corr_audio'][0], torch.tanh(AUDIO[0] + w_audio @ AUDIO[0]))


def test_scaled_correlation_and_input_norm():
    head = _head()  # the defaults: LayerNorm of each branch, Corr / sqrt(m')
    with torch.no_grad():
        head.correlation.weight.copy_(W)
    audio, video = torch.randn(2, 2, 2) * 5 + 3, torch.randn(2, 2, 2)
    out = head(audio, video)
    a, v = head.norm_audio(audio), head.norm_video(video)
    assert torch.allclose(a.mean(-1), torch.zeros(2, 2), atol=1e-5)
    assert torch.allclose(out['corr'], a @ W @ v.transpose(1, 2) / math.sqrt(2), atol=1e-5)


def test_without_the_skip_tanh_the_sums_are_kept_as_they_are():
    head = _literal_head(skip_tanh=False)
    out = head.fuse(AUDIO, VIDEO)
    assert torch.allclose(out['corr_audio'], AUDIO + out['attended_audio'])
    assert torch.allclose(out['corr_video'], VIDEO + out['attended_video'])
    assert head.state_dict().keys() == _literal_head().state_dict().keys()  # same checkpoints


@pytest.mark.parametrize('skip_tanh, same_as', [(True, 'no_cross_term'), (False, 'concat')])
def test_the_gated_cross_term_starts_as_the_head_without_it_and_learns_to_open(skip_tanh, same_as):
    head = _head(skip_tanh=skip_tanh)  # the default gate: one scalar a branch, from 0
    assert isinstance(_head().skip, torch.nn.Identity)  # the default: no skip tanh
    assert torch.equal(head.cross_gate.detach(), torch.zeros(2))
    without = _head(fusion=same_as, skip_tanh=skip_tanh)
    without.load_state_dict(head.state_dict(), strict=False)  # all but W and the gate
    head.eval()
    without.eval()
    audio, video = torch.randn(3, 2, 2), torch.randn(3, 2, 2)
    assert torch.allclose(head(audio, video)['logits'], without(audio, video)['logits'])
    # the loss reaches the gate (and, once it opens, W)
    head(audio, video)['logits'][:, 0].sum().backward()
    assert head.cross_gate.grad.abs().min() > 0
    # g_A and g_V weigh each branch's attended term
    with torch.no_grad():
        head.cross_gate.copy_(torch.tensor([0.5, 2.0]))
    out = head.fuse(audio, video)
    squash = torch.tanh if skip_tanh else (lambda x: x)
    assert torch.allclose(out['corr_audio'], squash(audio + 0.5 * out['attended_audio']))
    assert torch.allclose(out['corr_video'], squash(video + 2.0 * out['attended_video']))
    # the paper's ungated sum keeps the checkpoints of earlier releases
    assert 'cross_gate' not in _head(cross_gate=None).state_dict()


@pytest.mark.parametrize('skip_tanh', [False, True])
@pytest.mark.parametrize('fusion', ['no_cross_term', 'concat'])
def test_fusion_ablations_have_no_cross_term(fusion, skip_tanh):
    head = _head(fusion=fusion, input_norm=False, skip_tanh=skip_tanh)
    assert head.correlation is None and 'correlation' not in str(head.state_dict().keys())
    audio, video = torch.randn(3, 2, 2), torch.randn(3, 2, 2)
    out = head(audio, video)
    assert 'corr' not in out
    branches = torch.cat([video, audio], dim=1)
    squashed = fusion == 'no_cross_term' and skip_tanh  # concat: never
    fused = torch.tanh(branches) if squashed else branches
    assert torch.allclose(out['embedding'], head.fc_embed(fused.flatten(1)), atol=1e-6)
    with pytest.raises(ValueError, match='fusion must be one of'):
        _head(fusion='sum')
    with pytest.raises(ValueError, match='eq8 must be one of'):
        _head(eq8='rows')


@pytest.mark.parametrize('fusion', ['cross_attention', 'concat'])
def test_the_snippet_mean_averages_each_branch_before_the_classifier(fusion):
    head = _head(fusion=fusion, snippet_pool='mean', cross_gate=1.0)
    assert head.fc_embed.in_features == 4  # 2 branches x m', not 2 N m'
    audio, video = torch.randn(3, 2, 2), torch.randn(3, 2, 2)
    out = head(audio, video)
    if fusion == 'cross_attention':  # the mean comes after the fusion
        branches = out['corr_video'], out['corr_audio']
    else:
        branches = head.norm_video(video), head.norm_audio(audio)
    fused = torch.cat([branch.mean(dim=1) for branch in branches], dim=1)  # [B, 2 m']
    assert torch.allclose(out['embedding'], head.fc_embed(fused), atol=1e-6)
    # the same snippets in another order: the same clip
    flipped = head(audio.flip(1), video.flip(1))
    assert torch.allclose(out['embedding'], flipped['embedding'], atol=1e-6)
    with pytest.raises(ValueError, match='snippet_pool must be one of'):
        _head(snippet_pool='max')


@pytest.mark.parametrize('modality', ['audio', 'video'])
def test_unimodal_ablations(modality):
    head = _head(modality=modality)
    # nothing of the other modality, nor of the cross-modal term (DDP needs every
    # parameter to take part in the loss)
    other = 'video' if modality == 'audio' else 'audio'
    assert head.correlation is None and getattr(head, f'norm_{other}') is None
    x = torch.randn(3, 2, 2)
    args = (x, None) if modality == 'audio' else (None, x)
    out = head(*args)
    assert out['logits'].shape == (3, 3) and 'corr' not in out
    assert head.fc_embed.in_features == 4  # N m', one branch
    out['logits'].sum().backward()
    assert all(p.grad is not None for p in head.parameters())
    with pytest.raises(ValueError, match=f"modality='{modality}' needs"):
        head(*reversed(args))


def test_the_embedding_norm_keeps_every_unit_alive_for_the_classifier():
    """A unit the metric loss pushed negative for every clip of a batch still passes
    the classifier's gradient after the norm (and does not without it)."""
    for norm, alive in ((dict(type='BN1d'), True), (None, False)):
        head = _head(embed_norm=norm, input_norm=False)
        with torch.no_grad():
            head.fc_embed.bias.fill_(-100.0)  # every unit negative for every clip
        head(torch.randn(4, 2, 2), torch.randn(4, 2, 2))['logits'].sum().backward()
        assert (head.fc_embed.weight.grad.abs().sum() > 0) == alive


def test_every_parameter_of_the_fused_head_gets_a_gradient():
    head = _head()
    head.init_weights()
    assert head.correlation.weight.abs().sum() > 0  # Xavier through init_cfg
    audio, video = torch.randn(3, 2, 2), torch.randn(3, 2, 2)
    head(audio, video)['logits'].sum().backward()
    # every parameter takes part in the loss (DDP needs it), W with a zero gradient
    # while the gate is shut
    assert all(p.grad is not None for p in head.parameters())
    assert head.correlation.weight.grad.abs().sum() == 0
    with torch.no_grad():
        head.cross_gate.fill_(1.0)
    head.zero_grad()
    head(audio, video)['logits'].sum().backward()
    assert all(p.grad.abs().sum() > 0 for p in head.parameters())


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
