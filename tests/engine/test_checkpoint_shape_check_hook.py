"""CheckpointShapeCheckHook: a checkpoint that does not fit the model is refused."""

from types import SimpleNamespace

import pytest
import torch
from torch import nn

from avemo_mm.engine.checkpoint_shape_check_hook import (
    CheckpointMismatchError,
    CheckpointShapeCheckHook,
    checkpoint_mismatches,
)


def _model():
    return nn.Sequential(nn.Linear(4, 3), nn.BatchNorm1d(3))


def _runner(model):
    return SimpleNamespace(model=model, cfg=dict(load_from='other.pth'), work_dir='.')


def test_a_fitting_checkpoint_passes_and_a_ddp_prefix_is_ignored():
    model = _model()
    state = {f'module.{k}': v for k, v in model.state_dict().items()}
    assert checkpoint_mismatches(model, state) == []
    CheckpointShapeCheckHook().after_load_checkpoint(_runner(model), dict(state_dict=state))


def test_missing_keys_and_other_shapes_are_each_named():
    model = _model()
    state = dict(model.state_dict())
    state['0.weight'] = torch.zeros(5, 4)
    del state['1.running_var']
    problems = checkpoint_mismatches(model, state)
    assert problems == [
        '0.weight: shape (5, 4) in the checkpoint, (3, 4) in the model',
        '1.running_var: missing from the checkpoint',
    ]
    with pytest.raises(
        CheckpointMismatchError, match=r'(?s)other\.pth .*2 problems.*ignore_prefixes'
    ):
        CheckpointShapeCheckHook().after_load_checkpoint(_runner(model), dict(state_dict=state))


def test_ignored_prefixes_are_neither_checked_nor_loaded():
    model = _model()
    state = dict(model.state_dict())
    state['0.weight'] = torch.zeros(5, 4)  # a head for other classes, say
    checkpoint = dict(state_dict=state)
    CheckpointShapeCheckHook(ignore_prefixes=['0.']).after_load_checkpoint(
        _runner(model), checkpoint
    )
    assert not any(k.startswith('0.') for k in checkpoint['state_dict'])
    assert '1.weight' in checkpoint['state_dict']
