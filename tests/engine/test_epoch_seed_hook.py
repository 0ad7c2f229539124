"""EpochSeedHook: an epoch's random numbers depend on (seed, epoch, rank) only."""

import random
from types import SimpleNamespace

import numpy as np
import torch

from avemo_mm.engine import EpochSeedHook
from avemo_mm.engine.epoch_seed_hook import epoch_seed


def _draws(seed, epoch, num_workers=0):
    runner = SimpleNamespace(
        seed=seed,
        epoch=epoch,
        train_dataloader=SimpleNamespace(num_workers=num_workers, worker_init_fn=None),
    )
    EpochSeedHook().before_train_epoch(runner)
    return (random.random(), float(np.random.rand()), float(torch.rand(1))), runner


def test_the_same_epoch_draws_the_same_numbers_whatever_ran_before():
    first, _ = _draws(0, 3)
    torch.rand(100), np.random.rand(100), random.random()  # another history
    again, _ = _draws(0, 3)
    assert first == again
    assert _draws(0, 4)[0] != first and _draws(1, 3)[0] != first


def test_seeds_differ_per_epoch_and_rank():
    seeds = {epoch_seed(0, e, r) for e in range(5) for r in range(4)}
    assert len(seeds) == 20 and all(0 <= s < 2**32 for s in seeds)


def test_workers_get_the_epoch_s_seed():
    _, runner = _draws(0, 2, num_workers=2)
    assert runner.train_dataloader.worker_init_fn.keywords['seed'] == epoch_seed(0, 2, 0)


def test_without_a_seed_nothing_is_reseeded():
    torch.manual_seed(5)
    expected = torch.rand(1)
    torch.manual_seed(5)
    runner = SimpleNamespace(seed=None, epoch=1, train_dataloader=SimpleNamespace(num_workers=0))
    EpochSeedHook().before_train_epoch(runner)
    assert torch.equal(torch.rand(1), expected)
