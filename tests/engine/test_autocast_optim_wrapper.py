"""AutocastOptimWrapper: bf16 autocast on the CPU through the standard --amp flag."""

import pytest


def test_bf16_autocast_reaches_the_model():
    import torch

    from avemo_mm.engine import AutocastOptimWrapper

    layer = torch.nn.Linear(4, 4)
    wrapper = AutocastOptimWrapper(optimizer=torch.optim.SGD(layer.parameters(), lr=0.1))
    with wrapper.optim_context(layer):
        assert layer(torch.randn(2, 4)).dtype == torch.bfloat16
    assert layer(torch.randn(2, 4)).dtype == torch.float32
    with pytest.raises(ValueError, match='dtype must be one of'):
        AutocastOptimWrapper(dtype='float8', optimizer=torch.optim.SGD(layer.parameters(), lr=1))
