"""ValidateOnResumeHook: a resumed run first validates the epoch it resumed after."""

from types import SimpleNamespace

import pytest
from mmengine.runner import EpochBasedTrainLoop

from avemo_mm.engine import ValidateOnResumeHook
from avemo_mm.engine.validate_on_resume_hook import validates_after


class _Loop(EpochBasedTrainLoop):
    def __init__(self, epoch, val_begin=1, val_interval=1, max_epochs=10):  # no runner
        self._epoch, self.val_begin, self.val_interval = epoch, val_begin, val_interval
        self._max_epochs = max_epochs


def _runs_validation(loop):
    calls = []
    runner = SimpleNamespace(
        train_loop=loop,
        val_loop=SimpleNamespace(run=lambda: calls.append(1)),
        logger=SimpleNamespace(info=lambda message: None),
    )
    ValidateOnResumeHook().before_train(runner)
    return bool(calls)


@pytest.mark.parametrize(
    'epoch, val_begin, val_interval, expected',
    [(0, 1, 1, False), (3, 1, 1, True), (3, 1, 2, False), (4, 1, 2, True), (3, 5, 1, False)],
)
def test_it_validates_exactly_when_the_loop_would_have(epoch, val_begin, val_interval, expected):
    assert _runs_validation(_Loop(epoch, val_begin, val_interval)) is expected


def test_the_last_epoch_is_always_validated():
    assert validates_after(_Loop(10, val_interval=3), 10)
