"""EmotionMetric: WAR, UAR, per-class accuracy and the confusion matrix, hand-checked."""

import math

import numpy as np
import pytest
import torch
from mmaction.registry import METRICS
from mmengine.registry import init_default_scope

from avemo_mm.evaluation import confusion_matrix, scores_from_confusion


def test_confusion_and_scores_on_a_hand_computed_case():
    gt = [0, 0, 1, 1, 1, 2]
    pred = [0, 1, 1, 1, 0, 2]
    matrix = confusion_matrix(gt, pred, 3)
    assert matrix.tolist() == [[1, 1, 0], [1, 2, 0], [0, 0, 1]]
    scores = scores_from_confusion(matrix, ['a', 'b', 'c'])
    assert scores['WAR'] == pytest.approx(4 / 6)
    assert scores['UAR'] == pytest.approx((1 / 2 + 2 / 3 + 1) / 3)
    assert scores['class_acc/a'] == pytest.approx(0.5)
    assert scores['class_acc/c'] == pytest.approx(1.0)


def test_a_class_without_test_clips_has_no_accuracy_and_leaves_uar_alone():
    scores = scores_from_confusion(confusion_matrix([0, 1], [0, 0], 3), ['a', 'b', 'c'])
    assert math.isnan(scores['class_acc/c'])
    assert scores['UAR'] == pytest.approx(0.5) and scores['WAR'] == pytest.approx(0.5)


def test_labels_outside_the_classes_are_an_error():
    with pytest.raises(ValueError, match=r'predicted labels must lie in \[0, 3\)'):
        confusion_matrix([0, 1], [0, 5], 3)


def test_registered_metric_takes_classes_from_the_dataset_and_keeps_the_matrix():
    init_default_scope('mmaction')
    metric = METRICS.build(dict(type='EmotionMetric'))
    metric.dataset_meta = dict(classes=('neutral', 'happy'))
    samples = [
        dict(gt_label=torch.tensor([g]), pred_label=torch.tensor([p]))
        for g, p in [(0, 0), (1, 1), (1, 0), (1, 1)]
    ]
    metric.process({}, samples)
    result = metric.evaluate(len(samples))
    assert result['WAR'] == pytest.approx(0.75)
    assert result['UAR'] == pytest.approx((1 + 2 / 3) / 2)
    assert result['confusion_matrix'] == [[1, 0], [1, 2]]
    assert result['class_acc/happy'] == pytest.approx(2 / 3)


def test_metric_without_class_names_says_how_to_give_them():
    init_default_scope('mmaction')
    metric = METRICS.build(dict(type='EmotionMetric'))
    metric.process({}, [dict(gt_label=torch.tensor([0]), pred_label=torch.tensor([0]))])
    with pytest.raises(ValueError, match='classes'):
        metric.evaluate(1)


def test_bincount_matches_a_loop_on_random_labels():
    rng = np.random.default_rng(0)
    gt, pred = rng.integers(0, 6, 200), rng.integers(0, 6, 200)
    loop = np.zeros((6, 6), int)
    for g, p in zip(gt, pred, strict=True):
        loop[g, p] += 1
    assert (confusion_matrix(gt, pred, 6) == loop).all()
