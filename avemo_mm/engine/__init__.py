"""Training-loop additions; importing registers them into MMAction2's ``HOOKS`` and
``OPTIM_WRAPPERS``."""

from .autocast_optim_wrapper import AutocastOptimWrapper
from .checkpoint_shape_check_hook import (
    CheckpointMismatchError,
    CheckpointShapeCheckHook,
    checkpoint_mismatches,
    mismatch_message,
)
from .dataset_meta_hook import DatasetMetaHook
from .epoch_seed_hook import EpochSeedHook, epoch_seed
from .latest_best_checkpoint_hook import LatestBestCheckpointHook
from .pretrained_weights_hook import PretrainedWeightsHook
from .resumable_early_stopping_hook import ResumableEarlyStoppingHook
from .validate_on_resume_hook import ValidateOnResumeHook

__all__ = [
    'AutocastOptimWrapper',
    'CheckpointMismatchError',
    'CheckpointShapeCheckHook',
    'DatasetMetaHook',
    'EpochSeedHook',
    'LatestBestCheckpointHook',
    'PretrainedWeightsHook',
    'ResumableEarlyStoppingHook',
    'ValidateOnResumeHook',
    'checkpoint_mismatches',
    'epoch_seed',
    'mismatch_message',
]
