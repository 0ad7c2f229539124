"""Emotion recognition metrics: WAR, UAR, per-class accuracy and the confusion matrix."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from mmaction.registry import METRICS
from mmengine.evaluator import BaseMetric


def confusion_matrix(gt_labels: Sequence[int], pred_labels: Sequence[int], num_classes: int):
    """Counts of (true class, predicted class) pairs.

    Returns:
        np.ndarray: ``[K, K]`` int64, row = true class, column = predicted class.
    """
    gt = np.asarray(gt_labels, dtype=np.int64)
    pred = np.asarray(pred_labels, dtype=np.int64)
    for name, labels in (('ground-truth', gt), ('predicted', pred)):
        if labels.size and (labels.min() < 0 or labels.max() >= num_classes):
            raise ValueError(
                f'{name} labels must lie in [0, {num_classes}), got {sorted(set(labels.tolist()))}'
            )
    return np.bincount(gt * num_classes + pred, minlength=num_classes**2).reshape(
        num_classes, num_classes
    )


def scores_from_confusion(matrix: np.ndarray, classes: Sequence[str]) -> dict:
    """WAR, UAR and per-class accuracy from a confusion matrix.

    WAR (weighted average recall) is the plain accuracy, every sample counting once;
    UAR (unweighted average recall) is the mean of the per-class recalls, every class
    counting once, the usual figure for the unbalanced emotion corpora. A class with no
    sample has no recall (NaN) and is left out of the UAR.

    Args:
        matrix (np.ndarray): ``[K, K]``, row = true class.
        classes (Sequence[str]): K class names.

    Returns:
        dict: ``WAR``, ``UAR`` (fractions in [0, 1]), ``class_acc/<name>`` per class.
    """
    matrix = np.asarray(matrix, dtype=np.float64)
    support = matrix.sum(axis=1)
    total = support.sum()
    with np.errstate(invalid='ignore', divide='ignore'):
        recall = np.diag(matrix) / support  # NaN where a class has no sample
    present = support > 0
    scores = dict(
        WAR=float(np.trace(matrix) / total) if total else float('nan'),
        UAR=float(recall[present].mean()) if present.any() else float('nan'),
    )
    scores.update({f'class_acc/{name}': float(r) for name, r in zip(classes, recall, strict=True)})
    return scores


def emotion_metrics(
    gt_labels: Sequence[int], pred_labels: Sequence[int], classes: Sequence[str]
) -> dict:
    """Every figure :class:`EmotionMetric` reports, from per-clip labels.

    Returns:
        dict: ``WAR``, ``UAR``, ``class_acc/<name>`` and ``confusion_matrix`` (a
        list of K rows of K counts).
    """
    matrix = confusion_matrix(gt_labels, pred_labels, len(classes))
    return dict(scores_from_confusion(matrix, classes), confusion_matrix=matrix.tolist())


@METRICS.register_module()
class EmotionMetric(BaseMetric):
    """Accuracy (WAR), unweighted average recall (UAR), per-class accuracy, confusion.

    Each process keeps ``(gt_label, pred_label)`` per sample; mmengine gathers them
    from all processes in dataset order and drops the samples the distributed sampler
    repeated to even out the shards, so a distributed test counts every sample exactly
    once, and the figures equal a single-process test's.

    Metrics (no prefix unless ``prefix`` is given): ``WAR``, ``UAR``,
    ``class_acc/<class name>`` (fractions in [0, 1]), and ``confusion_matrix`` (a list
    of K rows of K counts, row = true class, column = predicted class; logged in the
    test's JSON, not as a scalar).

    Args:
        classes (Sequence[str], optional): Class names; None takes the dataset's
            ``metainfo['classes']``. Defaults to ``None``.
        collect_device (str): ``'cpu'`` or ``'gpu'``, for gathering across
            processes. Defaults to ``'cpu'``.
        prefix (str, optional): Prefix of the metric names. Defaults to ``None``.
    """

    default_prefix = ''

    def __init__(
        self,
        classes: Sequence[str] | None = None,
        collect_device: str = 'cpu',
        prefix: str | None = None,
    ) -> None:
        super().__init__(collect_device=collect_device, prefix=prefix)
        self.classes = tuple(classes) if classes is not None else None

    def process(self, data_batch, data_samples: Sequence[dict]) -> None:
        for sample in data_samples:
            pred = sample['pred_label']
            gt = sample['gt_label']
            self.results.append((int(gt.reshape(-1)[0]), int(pred.reshape(-1)[0])))

    def compute_metrics(self, results: list) -> dict:
        classes = self.classes or tuple((self.dataset_meta or {}).get('classes', ()))
        if not classes:
            raise ValueError(
                'EmotionMetric needs the class names: the dataset has no '
                "metainfo['classes']; pass classes=[...]"
            )
        gt, pred = zip(*results, strict=True) if results else ((), ())
        return emotion_metrics(gt, pred, classes)
