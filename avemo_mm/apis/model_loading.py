"""Build a recognizer from a config and load a checkpoint, refusing one that does not fit."""

from __future__ import annotations

import copy

import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmengine.runner import load_state_dict
from mmengine.runner.checkpoint import CheckpointLoader

from ..engine import CheckpointMismatchError, checkpoint_mismatches, mismatch_message
from ..utils.config import propagate_dataset_variables


def init_model(
    config: str | Config,
    checkpoint: str | None = None,
    device: str = 'cpu',
    cfg_options: dict | None = None,
) -> torch.nn.Module:
    """Build a recognizer from a config and load a checkpoint (weights only).

    The class names come from the checkpoint's ``meta['dataset_meta']`` (written by
    the Runner while training), else from the config's test dataset class.

    Args:
        config (str | Config): Config file or object.
        checkpoint (str, optional): Checkpoint file; None keeps the initial weights.
            A file that holds a pickled callable is refused
            (:class:`avemo_mm.compat.CheckpointRefusedError`), and so is one whose
            weights do not fit the config's model (:class:`CheckpointMismatchError`).
        device (str): ``'cpu'``, ``'cuda'``, ``'cuda:1'`` ... Defaults to ``'cpu'``.
        cfg_options (dict, optional): Overrides merged into the config.

    Returns:
        torch.nn.Module: The model in eval mode, with ``cfg`` and ``dataset_meta``.
    """
    from mmaction.registry import DATASETS, MODELS

    cfg = Config.fromfile(config) if isinstance(config, str) else copy.deepcopy(config)
    if cfg_options:
        cfg.merge_from_dict(cfg_options)
        propagate_dataset_variables(cfg, cfg_options)  # fold=3 reaches the datasets
    init_default_scope(cfg.get('default_scope', 'mmaction'))
    model = MODELS.build(cfg.model)
    meta = {}
    if checkpoint is not None:
        loaded = CheckpointLoader.load_checkpoint(checkpoint, map_location='cpu')
        state_dict = loaded.get('state_dict', loaded)
        problems = checkpoint_mismatches(model, state_dict)
        if problems:  # mmengine would only warn, and predict with random layers
            raise CheckpointMismatchError(mismatch_message(checkpoint, problems))
        weights = {k.removeprefix('module.'): v for k, v in state_dict.items()}
        load_state_dict(model, weights, logger='silent')  # checked just above
        meta = dict(loaded.get('meta', {}).get('dataset_meta') or {})
    if not meta.get('classes'):
        dataset_cls = DATASETS.get(cfg.test_dataloader.dataset.type)
        meta = dict(getattr(dataset_cls, 'METAINFO', {}))
    if not meta.get('classes'):
        raise ValueError(
            f'no class names: neither the checkpoint {checkpoint} nor the dataset type '
            f'{cfg.test_dataloader.dataset.type} has metainfo classes'
        )
    model.cfg = cfg
    model.dataset_meta = meta
    return model.to(device).eval()
