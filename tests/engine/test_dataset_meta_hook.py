"""DatasetMetaHook: the dataset's classes and polarities reach the model."""

from types import SimpleNamespace

import pytest

from avemo_mm.engine import DatasetMetaHook


class _Model:
    def __init__(self, num_classes):
        self.num_classes, self.seen = num_classes, None

    def set_dataset_meta(self, metainfo):
        if len(metainfo['classes']) != self.num_classes:
            raise ValueError('classes')
        self.seen = metainfo


def _runner(model, train_meta, test_meta=None):
    return SimpleNamespace(
        model=model,
        train_dataloader=SimpleNamespace(dataset=SimpleNamespace(metainfo=train_meta)),
        test_dataloader=SimpleNamespace(dataset=SimpleNamespace(metainfo=test_meta)),
    )


def test_training_and_testing_each_hand_over_their_dataset_s_metainfo():
    model = _Model(2)
    train = dict(classes=('calm', 'angry'), polarities=(1, -1))
    test = dict(classes=('a', 'b'), polarities=(0, 0))
    runner = _runner(model, train, test)
    DatasetMetaHook().before_train(runner)
    assert model.seen is train
    DatasetMetaHook().before_test(runner)
    assert model.seen is test


def test_a_class_count_mismatch_stops_before_the_first_step():
    with pytest.raises(ValueError, match='classes'):
        DatasetMetaHook().before_train(_runner(_Model(8), dict(classes=('a', 'b'))))


def test_a_model_without_set_dataset_meta_is_left_alone():
    DatasetMetaHook().before_train(_runner(object(), dict(classes=('a',))))
