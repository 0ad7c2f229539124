"""Batches of P classes x K clips, so that every anchor of a metric loss has positives."""

from __future__ import annotations

import random
from collections.abc import Iterator

from mmaction.registry import DATA_SAMPLERS
from torch.utils.data import Sampler

CLASS_PRIORS = ('balanced', 'corpus')


@DATA_SAMPLERS.register_module()
class ClassBalancedBatchSampler(Sampler):
    """Every batch holds ``batch_size / samples_per_class`` classes x ``samples_per_class``.

    Wraps the index sampler (mmengine's ``DefaultSampler``): that sampler still
    shuffles per epoch (``set_epoch``, seeded), resumes and shards across processes;
    this one regroups the indices it yields. Classes take turns: in each round every
    class gets one turn, in an order drawn afresh per round from a generator seeded
    by the epoch's shuffle (so the same epoch always gives the same batches, and any
    two classes meet in a batch: with a fixed order, 8 classes in batches of 4
    would only ever pair the same two halves). A class that runs out of clips
    starts over, so every batch is full. An epoch has ``len(sampler) // batch_size``
    batches.

    In a config::

        train_dataloader = dict(batch_size=16, sampler=dict(type='DefaultSampler'),
            batch_sampler=dict(type='ClassBalancedBatchSampler', samples_per_class=4), ...)

    **The class prior** (``class_prior``): with ``'balanced'`` every class gets the same
    number of turns, so a class with fewer clips has each of them drawn more often (on
    RAVDESS, neutral has half the clips of the other classes: each neutral clip about
    twice an epoch, the others about 0.94 times) and the model learns a uniform class
    prior, which favours UAR. With ``'corpus'`` each class's turns are in proportion to
    its clips (one turn per K of them), so an epoch draws each clip about once and the
    model learns the corpus' class frequencies, which favours WAR (the paper's "average
    accuracy"); every batch still holds K clips of each of its classes.

    Args:
        sampler (Sampler): The index sampler; its ``dataset`` gives the labels.
        batch_size (int): P x K.
        samples_per_class (int): K, >= 2 (an anchor needs a positive). Defaults to
            ``2``.
        class_prior (str): ``'balanced'`` or ``'corpus'`` (above). Defaults to
            ``'balanced'``.
    """

    def __init__(
        self,
        sampler: Sampler,
        batch_size: int,
        samples_per_class: int = 2,
        class_prior: str = 'balanced',
    ) -> None:
        if samples_per_class < 2 or batch_size % samples_per_class:
            raise ValueError(
                f'batch_size={batch_size} must be a multiple of samples_per_class='
                f'{samples_per_class}, which must be >= 2'
            )
        if class_prior not in CLASS_PRIORS:
            raise ValueError(f'class_prior must be one of {CLASS_PRIORS}, got {class_prior!r}')
        self.class_prior = class_prior
        self.sampler, self.batch_size, self.samples_per_class = (
            sampler,
            batch_size,
            samples_per_class,
        )
        self.classes_per_batch = batch_size // samples_per_class
        dataset = sampler.dataset
        self.labels = [int(dataset.get_data_info(i)['label']) for i in range(len(dataset))]
        present = sorted(set(self.labels))
        if len(present) < self.classes_per_batch:
            raise ValueError(
                f'ClassBalancedBatchSampler: batches of {self.classes_per_batch} classes x '
                f'{samples_per_class} need {self.classes_per_batch} classes, but the dataset '
                f'has {len(present)} ({present}); lower batch_size or raise samples_per_class'
            )

    def __iter__(self) -> Iterator[list[int]]:
        order = list(self.sampler)  # this epoch's (shuffled, sharded) order
        by_class: dict[int, list[int]] = {}
        for index in order:
            by_class.setdefault(self.labels[index], []).append(index)
        classes = sorted(by_class)
        if len(classes) < self.classes_per_batch:
            raise ValueError(
                f'this process received {len(classes)} classes, fewer than the '
                f'{self.classes_per_batch} a batch needs'
            )
        rng = random.Random(hash(tuple(order)))  # ints hash alike in every process
        taken = dict.fromkeys(classes, 0)
        turns: list[int] = []  # the classes still to have their turn in this round
        for _ in range(len(self)):
            batch_classes: list[int] = []
            while len(batch_classes) < self.classes_per_batch:
                waiting = [c for c in turns if c not in batch_classes]
                if not waiting:  # a new round, in a new order
                    turns += self._round(rng, classes, by_class)
                    continue
                turns.remove(waiting[0])
                batch_classes.append(waiting[0])
            batch = []
            for label in batch_classes:
                clips = by_class[label]
                for _ in range(self.samples_per_class):
                    batch.append(clips[taken[label] % len(clips)])
                    taken[label] += 1
            yield batch

    def _round(self, rng: random.Random, classes: list[int], by_class: dict) -> list[int]:
        """One round of turns: each class once (balanced), or once per K of its clips."""
        if self.class_prior == 'balanced':
            return rng.sample(classes, len(classes))
        per_class = [
            c for c in classes for _ in range(max(1, len(by_class[c]) // self.samples_per_class))
        ]
        return rng.sample(per_class, len(per_class))

    def __len__(self) -> int:
        return len(self.sampler) // self.batch_size

    def set_epoch(self, epoch: int) -> None:
        """Pass the epoch to the index sampler (mmengine's seed hook calls this)."""
        if hasattr(self.sampler, 'set_epoch'):
            self.sampler.set_epoch(epoch)
