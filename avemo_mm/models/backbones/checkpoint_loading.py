"""Strict loading of published backbone checkpoints, with messages that name the file."""

from __future__ import annotations

from collections.abc import Callable

import torch
from mmengine.logging import print_log
from mmengine.runner.checkpoint import _load_checkpoint
from torch import nn


def load_backbone_checkpoint(
    module: nn.Module,
    path: str,
    drop_prefixes: tuple[str, ...] = ('fc.',),
    convert: Callable[[dict], dict] | None = None,
) -> None:
    """Load a published checkpoint into a backbone, strictly.

    Reads through mmengine (so weights-only, see ``avemo_mm.compat``); takes
    ``state_dict`` when the file holds one (Hara et al.'s files) or the file itself
    (torchvision's), strips DataParallel's ``module.`` prefix, drops the classifier
    (``fc.*``), applies ``convert``, then requires every key and shape to match.

    Raises:
        ValueError: Keys missing or unexpected, or shapes that differ, listed with
            the file name.
    """
    checkpoint = _load_checkpoint(path, map_location='cpu')
    state = checkpoint.get('state_dict', checkpoint) if isinstance(checkpoint, dict) else None
    if not isinstance(state, dict):
        raise ValueError(f'{path}: no state dict in this checkpoint')
    state = {k.removeprefix('module.'): v for k, v in state.items()}
    dropped = [k for k in state if k.startswith(drop_prefixes)]
    state = {k: v for k, v in state.items() if k not in dropped}
    if convert is not None:
        state = convert(state)
    own = module.state_dict()
    missing = sorted(set(own) - set(state))
    unexpected = sorted(set(state) - set(own))
    shapes = [
        f'{k}: file {tuple(state[k].shape)} vs model {tuple(own[k].shape)}'
        for k in sorted(set(own) & set(state))
        if state[k].shape != own[k].shape
    ]
    if missing or unexpected or shapes:
        raise ValueError(
            f'{path} does not fit {type(module).__name__}: '
            + '; '.join(
                f'{label} ({len(items)}): {", ".join(items[:6])}{" ..." if len(items) > 6 else ""}'
                for label, items in (
                    ('missing', missing),
                    ('unexpected', unexpected),
                    ('shape mismatch', shapes),
                )
                if items
            )
        )
    with torch.no_grad():
        module.load_state_dict(state, strict=True)
    print_log(
        f'{type(module).__name__}: loaded {path} ({len(state)} tensors; dropped '
        f'{", ".join(dropped) or "nothing"})',
        logger='current',
    )
