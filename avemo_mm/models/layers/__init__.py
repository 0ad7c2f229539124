"""Layers the models share."""

from .batch_norm_any_batch import BatchNorm1dAnyBatch

__all__ = ['BatchNorm1dAnyBatch']
