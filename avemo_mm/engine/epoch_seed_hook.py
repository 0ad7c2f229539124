"""Seed every random generator per training epoch, so a resumed run repeats exactly."""

from __future__ import annotations

import logging
import random
from functools import partial

import numpy as np
import torch
from mmaction.registry import HOOKS
from mmengine.dataset import worker_init_fn
from mmengine.dist import get_rank
from mmengine.hooks import Hook
from mmengine.logging import print_log


def epoch_seed(seed: int, epoch: int, rank: int) -> int:
    """A 32-bit seed that depends on the run's seed, the epoch and the process rank."""
    return int(np.random.SeedSequence([seed, epoch, rank]).generate_state(1)[0])


@HOOKS.register_module()
class EpochSeedHook(Hook):
    """At the start of each training epoch, seed Python, NumPy and torch (and the
    DataLoader workers) from ``(randomness.seed, epoch, rank)``.

    mmengine seeds once, when the Runner starts. A run resumed after epoch ``e``
    therefore draws other random numbers in epoch ``e + 1`` (augmentation, dropout,
    modality dropout) than the run that was never interrupted, and its weights part.
    Seeding from the epoch makes the random numbers of an epoch independent of what
    ran before it, so resuming gives the same weights and metrics. mmengine's worker
    seed is also the same every epoch (the same augmentation each epoch when workers
    restart); here it changes with the epoch.

    DataLoader workers are seeded when they start: with ``persistent_workers=True``
    they keep the generators of the epoch they started in, and a resumed run is close
    but not bit-exact; the hook says so once. Does nothing without a seed.
    """

    priority = 'VERY_HIGH'

    def before_train(self, runner) -> None:
        loader = runner.train_dataloader
        if runner.seed is not None and getattr(loader, 'persistent_workers', False):
            print_log(
                'EpochSeedHook: train_dataloader.persistent_workers=True keeps the workers '
                "of the first epoch, so a resumed run's augmentation differs from an "
                'uninterrupted one; set persistent_workers=False for exact resumes',
                logger='current',
                level=logging.WARNING,
            )

    def before_train_epoch(self, runner) -> None:
        if runner.seed is None:
            return
        rank = get_rank()
        seed = epoch_seed(runner.seed, runner.epoch, rank)
        random.seed(seed)
        np.random.seed(seed)
        torch.manual_seed(seed)  # also seeds every CUDA device
        loader = runner.train_dataloader
        if getattr(loader, 'num_workers', 0) > 0:
            # read when this epoch's workers start (after this hook)
            loader.worker_init_fn = partial(
                worker_init_fn, num_workers=loader.num_workers, rank=rank, seed=seed
            )
