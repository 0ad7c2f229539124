"""ClassBalancedBatchSampler: P classes x K clips in every batch."""

from collections import Counter

import pytest
from mmaction.registry import DATA_SAMPLERS
from mmengine.dataset import DefaultSampler
from mmengine.registry import init_default_scope

import avemo_mm  # noqa: F401

init_default_scope('mmaction')


class Labels:
    """The two methods the sampler and DefaultSampler use from a dataset."""

    def __init__(self, labels):
        self.labels = labels

    def __len__(self):
        return len(self.labels)

    def get_data_info(self, i):
        return dict(label=self.labels[i])


def build(labels, batch_size=8, k=2, seed=0, class_prior='balanced'):
    sampler = DefaultSampler(Labels(labels), shuffle=True, seed=seed)
    return DATA_SAMPLERS.build(
        dict(type='ClassBalancedBatchSampler', samples_per_class=k, class_prior=class_prior),
        default_args=dict(sampler=sampler, batch_size=batch_size),
    )


def test_every_batch_has_p_classes_times_k():
    labels = [i % 8 for i in range(60)] + [0] * 20  # unbalanced
    batches = list(build(labels))
    assert len(batches) == 80 // 8
    for batch in batches:
        counts = Counter(labels[i] for i in batch)
        assert len(counts) == 4 and set(counts.values()) == {2}
    seen = {labels[i] for batch in batches for i in batch}
    assert seen == set(range(8))  # classes take turns


def test_epochs_reshuffle_deterministically():
    sampler = build([i % 6 for i in range(48)], batch_size=6, k=3)
    first = list(sampler)
    sampler.set_epoch(1)
    second = list(sampler)
    assert first != second
    sampler.set_epoch(0)
    assert list(sampler) == first


def test_clear_errors():
    with pytest.raises(ValueError, match='must be a multiple of samples_per_class=3'):
        build([0, 1] * 10, batch_size=8, k=3)
    with pytest.raises(ValueError, match='need 4 classes, but the dataset has 2'):
        build([0, 1] * 10, batch_size=8, k=2)


def test_every_pair_of_classes_meets_in_a_batch():
    """8 classes in batches of 4: a fixed turn order only ever pairs two halves (12 of
    the 28 pairs); a metric loss then never compares the other 16."""
    labels = [i % 8 for i in range(192)]
    sampler = build(labels, batch_size=8, k=2)
    pairs = set()
    for epoch in range(2):
        sampler.set_epoch(epoch)
        for batch in sampler:
            present = sorted({labels[i] for i in batch})
            pairs |= {(a, b) for a in present for b in present if a < b}
    assert len(pairs) == 28
    # every class still has its turn as often as the others (+- one per epoch)
    sampler.set_epoch(0)
    turns = Counter(labels[i] for batch in sampler for i in batch[::2])
    assert max(turns.values()) - min(turns.values()) <= 1


def _draws_per_clip(class_prior: str, epochs: int = 20) -> dict[int, float]:
    """RAVDESS's class sizes (neutral 96 clips, the 7 others 192 each, of 1440): how often
    an epoch draws each clip of a class, on average."""
    labels = [0] * 96 + [c for c in range(1, 8) for _ in range(192)]
    sampler = build(labels, batch_size=16, k=4, class_prior=class_prior)
    drawn = Counter()
    for epoch in range(epochs):
        sampler.set_epoch(epoch)
        for batch in sampler:
            counts = Counter(labels[i] for i in batch)
            assert len(counts) == 4 and set(counts.values()) == {4}  # positives for all
            drawn.update(labels[i] for i in batch)
    size = Counter(labels)
    return {c: drawn[c] / size[c] / epochs for c in size}


def test_the_balanced_prior_draws_each_neutral_clip_twice_an_epoch():
    rate = _draws_per_clip('balanced')
    assert rate[0] == pytest.approx(1440 / 8 / 96, rel=0.05)  # 1.875
    assert all(rate[c] == pytest.approx(1440 / 8 / 192, rel=0.05) for c in range(1, 8))


def test_the_corpus_prior_draws_each_clip_about_once_an_epoch():
    rate = _draws_per_clip('corpus')
    assert all(r == pytest.approx(1.0, abs=0.05) for r in rate.values()), rate


def test_an_unknown_class_prior_is_refused():
    with pytest.raises(ValueError, match="class_prior must be one of \\('balanced', 'corpus'\\)"):
        build([i % 4 for i in range(16)], class_prior='uniform')
