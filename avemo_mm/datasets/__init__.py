"""Datasets, corpus preparation and pipeline transforms; importing this package
registers them into MMAction2's ``DATASETS`` and ``TRANSFORMS`` registries."""

from .. import TRAINING

# the corpus preparation's face detection and cropping (.preparation) also serve a
# deployment without PyTorch, where the datasets and transforms below cannot import
if TRAINING:
    from .av_emotion_dataset import AVEmotionDataset
    from .cremad import CremaDDataset
    from .emotions import CREMAD_CLASSES, POLARITIES, RAVDESS_CLASSES, emotion_metainfo
    from .folds import load_split_file, make_actor_folds, write_fold_files
    from .ravdess import RavdessDataset
    from .samplers import ClassBalancedBatchSampler
    from .transforms import *  # noqa: F401,F403

__all__ = [
    'AVEmotionDataset',
    'ClassBalancedBatchSampler',
    'CREMAD_CLASSES',
    'CremaDDataset',
    'POLARITIES',
    'RAVDESS_CLASSES',
    'RavdessDataset',
    'emotion_metainfo',
    'load_split_file',
    'make_actor_folds',
    'write_fold_files',
]
