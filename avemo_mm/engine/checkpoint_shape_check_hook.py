"""Stop before training or testing when a checkpoint does not fit the model."""

from __future__ import annotations

import logging
from collections.abc import Sequence

import torch
from mmaction.registry import HOOKS
from mmengine.hooks import Hook
from mmengine.logging import print_log
from mmengine.model import is_model_wrapper
from mmengine.runner import find_latest_checkpoint


class CheckpointMismatchError(ValueError):
    """A checkpoint's weights do not fit the model (missing keys, other shapes)."""


def checkpoint_mismatches(
    model: torch.nn.Module, state_dict: dict, ignore_prefixes: Sequence[str] = ()
) -> list[str]:
    """What keeps ``state_dict`` from filling ``model``, one line per key.

    A parameter or buffer of the model that the checkpoint lacks, or holds with
    another shape, is a mismatch; keys under ``ignore_prefixes`` are not checked
    (they keep the model's initial values). Keys the model lacks are ignored, as
    ``load_state_dict(strict=False)`` does. A DDP ``module.`` prefix is removed.
    """
    loaded = {k.removeprefix('module.'): v for k, v in state_dict.items()}
    problems = []
    for key, value in model.state_dict().items():
        if key.startswith(tuple(ignore_prefixes)) or key.endswith('num_batches_tracked'):
            continue
        if key not in loaded:
            problems.append(f'{key}: missing from the checkpoint')
        elif tuple(loaded[key].shape) != tuple(value.shape):
            problems.append(
                f'{key}: shape {tuple(loaded[key].shape)} in the checkpoint, '
                f'{tuple(value.shape)} in the model'
            )
    return problems


def mismatch_message(source: str, problems: list[str], hint: str = '', limit: int = 8) -> str:
    """One error message for :func:`checkpoint_mismatches`'s lines, with a ``hint``."""
    shown = '\n  '.join(problems[:limit])
    more = f'\n  ... and {len(problems) - limit} more' if len(problems) > limit else ''
    return (
        f'checkpoint {source} does not fit the model of this config '
        f'({len(problems)} problems):\n  {shown}{more}\n'
        'Is it the checkpoint of another config (backbone, number of classes)?' + hint
    )


_FINE_TUNE_HINT = (
    ' To fine-tune on other classes, name the layers to leave out in the '
    "config: dict(type='CheckpointShapeCheckHook', ignore_prefixes=['cls_head.fc_cls'])"
)


@HOOKS.register_module()
class CheckpointShapeCheckHook(Hook):
    """Refuse a ``load_from`` / ``--resume`` / test checkpoint that does not fit.

    mmengine loads checkpoints with ``strict=False`` and only warns about missing
    keys and shape mismatches, so a checkpoint of another config trains or tests a
    partly random model. This hook raises a :class:`CheckpointMismatchError` listing
    the mismatches when the checkpoint is read, before the first training or test step.

    Args:
        ignore_prefixes (Sequence[str]): Keys not checked and not loaded, e.g.
            ``('cls_head.fc_cls',)`` to fine-tune a model on a corpus with other
            classes: those layers keep their initial weights. Defaults to ``()``.
    """

    priority = 'VERY_HIGH'

    def __init__(self, ignore_prefixes: Sequence[str] = ()) -> None:
        self.ignore_prefixes = tuple(ignore_prefixes)

    def after_load_checkpoint(self, runner, checkpoint: dict) -> None:
        model = runner.model.module if is_model_wrapper(runner.model) else runner.model
        state_dict = checkpoint.get('state_dict', checkpoint)
        problems = checkpoint_mismatches(model, state_dict, self.ignore_prefixes)
        if problems:
            # an auto-resume (--resume without a path) reads the latest in the work dir
            source = runner.cfg.get('load_from') or find_latest_checkpoint(runner.work_dir)
            raise CheckpointMismatchError(mismatch_message(str(source), problems, _FINE_TUNE_HINT))
        ignored = [
            k for k in state_dict if k.removeprefix('module.').startswith(self.ignore_prefixes)
        ]
        for key in ignored:
            del state_dict[key]
            print_log(
                f'CheckpointShapeCheckHook: {key} not loaded (ignore_prefixes)',
                logger='current',
                level=logging.INFO,
            )
