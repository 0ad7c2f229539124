"""Config helpers for the tools and the configs."""

from __future__ import annotations

DATASET_VARIABLES = ('fold', 'num_folds', 'protocol', 'data_root', 'ann_file')
_DATALOADERS = ('train_dataloader', 'val_dataloader', 'test_dataloader')


def propagate_dataset_variables(cfg, cfg_options: dict | None) -> list[str]:
    """Make ``--cfg-options fold=3`` (or ``data_root=...``) reach every dataset.

    A Python config is evaluated once, so a top-level variable that the datasets
    were built from (``fold = 0`` ... ``dataset=dict(fold=fold)``) no longer changes
    them when overridden on the command line. For each of :data:`DATASET_VARIABLES`
    given at the top level of ``cfg_options``, this sets it in every dataloader's
    dataset that has that key.

    Returns:
        list[str]: ``'train_dataloader.dataset.fold'``-style names of what was set.
    """
    changed = []
    for key in DATASET_VARIABLES:
        if not cfg_options or key not in cfg_options:
            continue
        for loader in _DATALOADERS:
            dataset = (cfg.get(loader) or {}).get('dataset')
            if dataset is not None and key in dataset:
                dataset[key] = cfg_options[key]
                changed.append(f'{loader}.dataset.{key}')
    return changed


def insert_after(pipeline: list[dict], step_type: str, steps: list[dict]) -> list[dict]:
    """A copy of ``pipeline`` with ``steps`` right after its first step of ``step_type``.

    For configs that add steps inside an inherited pipeline, e.g. an augmentation right
    after ``DecordDecode``; a ``ValueError`` names the step when the pipeline lacks it.
    """
    types = [step['type'] for step in pipeline]
    if step_type not in types:
        raise ValueError(f'no {step_type!r} step in the pipeline {types}')
    at = types.index(step_type) + 1
    return [*pipeline[:at], *steps, *pipeline[at:]]
