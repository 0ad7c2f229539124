"""BatchNorm1dAnyBatch: BatchNorm1d at any batch of two or more, running statistics at one."""

import pytest
import torch
from mmcv.cnn import build_norm_layer
from torch import nn

import avemo_mm  # noqa: F401
from avemo_mm.models.layers import BatchNorm1dAnyBatch


def _pair(channels=5):
    torch.manual_seed(0)
    plain, any_batch = nn.BatchNorm1d(channels), BatchNorm1dAnyBatch(channels)
    with torch.no_grad():
        for layer in (plain, any_batch):
            layer.weight.copy_(torch.linspace(0.5, 2.0, channels))
            layer.bias.copy_(torch.linspace(-1.0, 1.0, channels))
    return plain, any_batch


@pytest.mark.parametrize('shape', [(2, 5), (7, 5), (1, 5, 3)])
def test_two_or_more_values_per_channel_are_batch_norm_exactly(shape):
    plain, any_batch = _pair()
    x = torch.randn(shape)
    assert torch.equal(any_batch(x), plain(x))
    assert torch.equal(any_batch.running_mean, plain.running_mean)
    assert torch.equal(any_batch.running_var, plain.running_var)


def test_a_training_batch_of_one_uses_the_running_statistics():
    plain, any_batch = _pair()
    any_batch(torch.randn(8, 5) * 3 + 1)  # running statistics away from (0, 1)
    mean, var = any_batch.running_mean.clone(), any_batch.running_var.clone()
    x = torch.randn(1, 5, requires_grad=True)
    with pytest.raises(ValueError, match='Expected more than 1 value per channel'):
        plain(x)  # what the head did before
    out = any_batch(x)
    out.sum().backward()
    assert torch.equal(any_batch.running_mean, mean) and torch.equal(any_batch.running_var, var)
    any_batch.eval()
    assert torch.equal(out.detach(), any_batch(x.detach()))  # as at test time
    assert torch.isfinite(x.grad).all() and x.grad.abs().sum() > 0
    assert any_batch.weight.grad is not None and any_batch.bias.grad is not None


def test_mmcv_builds_it_by_name_in_any_scope():
    name, layer = build_norm_layer(dict(type='BN1dAnyBatch'), 4)
    assert isinstance(layer, BatchNorm1dAnyBatch) and name == 'bn'
