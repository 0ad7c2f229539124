"""EmotionMetricLoss against hand-computed cases."""

import pytest
import torch
from mmaction.registry import MODELS

import avemo_mm  # noqa: F401

# classes: 0 = A (positive), 1 = B (positive), 2 = C (negative), 3 = N (neutral)
POLARITIES = ('positive', 'positive', 'negative', 'neutral')


def _build(**kwargs):
    kwargs.setdefault('polarities', POLARITIES)
    kwargs.setdefault('normalize', False)
    return MODELS.build(dict(type='EmotionMetricLoss', **kwargs))


def test_zero_when_every_margin_holds():
    x = torch.tensor([[0.0], [0.1], [1.0], [1.1], [5.0], [5.1], [-5.0], [-5.1]])
    y = torch.tensor([0, 0, 1, 1, 2, 2, 3, 3])
    for mining in ('batch_hard', 'batch_all'):
        assert _build(mining=mining)(x, y).item() == 0.0


def test_batch_hard_value_by_hand():
    # a1=A@0, a2=A@0.1, b=B@0.5, c=C@0.6 (no neutral sample)
    # a1: term1 .01-.25+.2 -> 0 ; term2 .25-.36+.2 = .09
    # a2: term1 .01-.16+.2 = .05 ; term2 .16-.25+.2 = .11
    # b : no positive (term 1 invalid); term2 hardest related .25 - opposite .01 + .2 = .44
    # c : no related class, no positive: nothing -> 5 triplets, sum .69
    x = torch.tensor([[0.0], [0.1], [0.5], [0.6]])
    y = torch.tensor([0, 0, 1, 2])
    assert _build()(x, y).item() == pytest.approx(0.69 / 5)


def test_gradient_sign_of_a_violated_polarity_term():
    # only term 2 is violated for b: the related a1 (far) should come nearer to b,
    # the opposite c (near) should be pushed away from b
    x = torch.tensor([[0.0], [0.1], [0.5], [0.6]], requires_grad=True)
    _build()(x, torch.tensor([0, 0, 1, 2])).backward()
    assert x.grad[3, 0] < 0  # descent moves c up, away from b at 0.5
    assert x.grad[0, 0] < 0  # descent moves a1 up, towards b


def test_neutral_and_unrelated_anchors_get_the_plain_triplet_term():
    # one positive, one negative, one neutral class: no anchor has a related class,
    # so the loss is exactly the plain triplet loss (CREMA-D's happy is like this)
    x = torch.randn(9, 4)
    y = torch.tensor([0, 0, 0, 1, 1, 1, 2, 2, 2])
    emotion = _build(polarities=('positive', 'negative', 'neutral'), normalize=True)
    plain = MODELS.build(dict(type='TripletLoss', normalize=True))
    for mining in ('batch_hard', 'batch_all'):
        emotion.mining = plain.mining = mining
        assert emotion(x, y).item() == pytest.approx(plain(x, y).item())


def test_training_orders_same_related_opposite():
    torch.manual_seed(0)
    x = torch.randn(16, 3, requires_grad=True)
    y = torch.tensor([0, 1, 2, 3] * 4)
    loss_fn = _build(normalize=True, mining='batch_all')
    optimizer = torch.optim.SGD([x], lr=0.5)
    for _ in range(300):
        optimizer.zero_grad()
        loss_fn(x, y).backward()
        optimizer.step()
    e = torch.nn.functional.normalize(x.detach(), dim=1)
    d = torch.cdist(e, e) ** 2
    same = d[y[:, None] == y[None, :]].sum() / (16 * 3)  # off-diagonal pairs of a class
    related = d[(y[:, None] == 0) & (y[None, :] == 1)].mean()
    opposite = d[(y[:, None] == 0) & (y[None, :] == 2)].mean()
    assert same < related < opposite


def test_never_nan_and_clear_errors():
    loss_fn = _build()
    x = torch.randn(4, 2, requires_grad=True)
    loss = loss_fn(x, torch.tensor([1, 1, 1, 1]))
    loss.backward()
    assert loss.item() == 0.0 and loss_fn.num_batches_without_triplets == 1
    assert torch.isfinite(x.grad).all()
    with pytest.raises(RuntimeError, match='no class polarities'):
        MODELS.build(dict(type='EmotionMetricLoss'))(x, torch.tensor([0, 1, 0, 1]))
    with pytest.raises(ValueError, match='label 7 has no polarity'):
        loss_fn(x, torch.tensor([0, 1, 7, 1]))
    with pytest.raises(ValueError, match='polarities must be among'):
        loss_fn.set_polarities(['happy'])


@pytest.mark.parametrize('normalize', [True, False])
def test_a_batch_of_one_adds_nothing(normalize):
    """A default sampler's last batch can hold one clip: no pair, a zero loss, no NaN."""
    loss_fn = _build(normalize=normalize)
    for label in range(len(POLARITIES)):  # every polarity's terms
        x = torch.randn(1, 2, requires_grad=True)
        loss = loss_fn(x, torch.tensor([label]))
        loss.backward()
        assert loss.item() == 0.0 and torch.isfinite(x.grad).all()
    assert loss_fn.num_batches_without_triplets == len(POLARITIES)
