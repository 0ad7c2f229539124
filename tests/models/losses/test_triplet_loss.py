"""TripletLoss and the shared mining against hand-computed values."""

import pytest
import torch
from mmaction.registry import MODELS

import avemo_mm  # noqa: F401
from avemo_mm.models.losses import pairwise_squared_distances, triplet_margin_loss


def _build(**kwargs):
    return MODELS.build(dict(type='TripletLoss', **kwargs))


def test_pairwise_squared_distances():
    x = torch.tensor([[0.0, 0.0], [3.0, 4.0], [1.0, 0.0]])
    expected = torch.tensor([[0.0, 25.0, 1.0], [25.0, 0.0, 20.0], [1.0, 20.0, 0.0]])
    assert torch.allclose(pairwise_squared_distances(x), expected)


def test_duplicate_embeddings_give_finite_gradients():
    x = torch.ones(4, 3, requires_grad=True)
    loss = _build(normalize=False)(x, torch.tensor([0, 0, 1, 1]))
    loss.backward()
    assert torch.isfinite(x.grad).all()
    assert loss.item() == pytest.approx(0.2)  # all distances 0: the margin is violated


def test_batch_hard_value_by_hand():
    # 1-D points: class 0 at 0 and 1, class 1 at 3 and 3.5
    x = torch.tensor([[0.0], [1.0], [3.0], [3.5]])
    y = torch.tensor([0, 0, 1, 1])
    # anchor 0: hardest pos d=1, hardest neg d=9 -> 0 ; anchor 1: 1 - 4 -> 0
    # anchor 2: pos 0.25, nearest neg (1.0) d=4 -> 0 ; anchor 3: 0.25 - 6.25 -> 0
    assert _build(normalize=False, margin=0.2)(x, y).item() == 0.0
    # margin 3.5: anchor 0: 1-9+3.5=0 ; 1: 1-4+3.5=0.5 ; 2: .25-4+3.5=0 ; 3: .25-6.25+3.5=0
    loss = _build(normalize=False, margin=3.5)(x, y)
    assert loss.item() == pytest.approx(0.5 / 4)


def test_batch_all_value_by_hand():
    x = torch.tensor([[0.0], [1.0], [3.0], [3.5]])
    y = torch.tensor([0, 0, 1, 1])
    # 8 triplets (each anchor: 1 positive x 2 negatives); margin 3.5:
    # a0: p1(1) n2(9) n3(12.25) -> 0, 0 ; a1: p0(1) n2(4) n3(6.25) -> 0.5, 0
    # a2: p3(.25) n0(9) n1(4) -> 0, 0 ; a3: p2(.25) n0(12.25) n1(6.25) -> 0, 0
    loss = _build(normalize=False, margin=3.5, mining='batch_all')(x, y)
    assert loss.item() == pytest.approx(0.5 / 8)


def test_gradient_by_hand():
    # x0=0, x1=2 (class 0), x2=0.5 (class 1); margin 0.2, batch-hard, mean over 2 anchors
    # L = 1/2 [((x0-x1)^2 - (x0-x2)^2 + .2) + ((x1-x0)^2 - (x1-x2)^2 + .2)] = 2.95
    x = torch.tensor([[0.0], [2.0], [0.5]], requires_grad=True)
    loss = _build(normalize=False)(x, torch.tensor([0, 0, 1]))
    loss.backward()
    assert loss.item() == pytest.approx(2.95)
    # dL/dx0 = 1/2[2(x0-x1) - 2(x0-x2) + 2(x0-x1)] = -3.5: descent pulls x0 to x1
    # dL/dx1 = 1/2[-2(x0-x1) + 2(x1-x0) - 2(x1-x2)] = 2.5: descent pulls x1 to x0
    # dL/dx2 = 1/2[2(x0-x2) + 2(x1-x2)] = 1.0
    assert torch.allclose(x.grad[:, 0], torch.tensor([-3.5, 2.5, 1.0]))


def test_no_valid_triplet_gives_zero_and_a_counted_warning():
    loss_fn = _build()
    x = torch.randn(4, 8, requires_grad=True)
    loss = loss_fn(x, torch.tensor([0, 0, 0, 0]))  # no negatives
    loss.backward()
    assert loss.item() == 0.0 and torch.isfinite(x.grad).all()
    loss_fn(x, torch.tensor([0, 1, 2, 3]))  # no positives
    assert loss_fn.num_batches_without_triplets == 2


def test_mining_helper_counts():
    dist = torch.tensor([[0.0, 1.0, 4.0], [1.0, 0.0, 1.0], [4.0, 1.0, 0.0]])
    pos = torch.tensor([[False, True, False], [True, False, False], [False, False, False]])
    neg = torch.tensor([[False, False, True], [False, False, True], [True, True, False]])
    total, count = triplet_margin_loss(dist, pos, neg, margin=0.5, mining='batch_all')
    # (0,1,2): 1 - 4 + .5 < 0 ; (1,0,2): 1 - 1 + .5 = .5 ; anchor 2 has no positive
    assert count == 2 and total.item() == pytest.approx(0.5)


@pytest.mark.parametrize('bad', [dict(mining='hardest'), dict(margin=-1.0)])
def test_bad_settings_are_rejected(bad):
    with pytest.raises(ValueError, match='mining must be one of|margin must be'):
        _build(**bad)


@pytest.mark.parametrize('mining', ['batch_hard', 'batch_all'])
@pytest.mark.parametrize('normalize', [True, False])
def test_a_batch_of_one_adds_nothing(mining, normalize):
    """A default sampler's last batch can hold one clip: no pair, a zero loss, no NaN."""
    loss_fn = _build(mining=mining, normalize=normalize)
    x = torch.randn(1, 8, requires_grad=True)
    loss = loss_fn(x, torch.tensor([3]))
    loss.backward()
    assert loss.item() == 0.0 and torch.isfinite(x.grad).all()
    assert loss_fn.num_batches_without_triplets == 1
