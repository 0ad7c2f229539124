"""propagate_dataset_variables: --cfg-options fold=3 reaches every dataset; insert_after:
steps added inside an inherited pipeline."""

import pytest
from mmengine.config import Config

from avemo_mm.utils import insert_after, propagate_dataset_variables


def test_top_level_dataset_variables_reach_every_loader():
    dataset = dict(type='RavdessDataset', fold=0, data_root='data/RAVDESS')
    cfg = Config(
        dict(
            fold=0,
            data_root='data/RAVDESS',
            train_dataloader=dict(dataset=dict(dataset, split='train')),
            val_dataloader=dict(dataset=dict(dataset, split='val')),
            test_dataloader=dict(dataset=dict(type='Other')),  # has no fold: untouched
        )
    )
    options = dict(fold=3, data_root='/corpus', lr=0.1)
    cfg.merge_from_dict(options)
    changed = propagate_dataset_variables(cfg, options)
    assert sorted(changed) == [
        'train_dataloader.dataset.data_root',
        'train_dataloader.dataset.fold',
        'val_dataloader.dataset.data_root',
        'val_dataloader.dataset.fold',
    ]
    assert cfg.train_dataloader.dataset.fold == 3 and cfg.val_dataloader.dataset.fold == 3
    assert 'fold' not in cfg.test_dataloader.dataset
    assert propagate_dataset_variables(cfg, None) == []


def test_insert_after_puts_the_steps_after_the_named_step_of_a_copy():
    pipeline = [dict(type='Init'), dict(type='DecordDecode'), dict(type='Resize')]
    steps = [dict(type='ClipLightChange'), dict(type='ClipScaleJitter')]
    inserted = insert_after(pipeline, 'DecordDecode', steps)
    assert [s['type'] for s in inserted] == [
        'Init', 'DecordDecode', 'ClipLightChange', 'ClipScaleJitter', 'Resize'
    ]  # fmt: skip
    assert len(pipeline) == 3  # the inherited pipeline is left as it was
    with pytest.raises(ValueError, match="no 'FormatShape' step in the pipeline"):
        insert_after(pipeline, 'FormatShape', steps)
