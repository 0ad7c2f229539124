"""propagate_dataset_variables: --cfg-options fold=3 reaches every dataset."""

from mmengine.config import Config

from avemo_mm.utils import propagate_dataset_variables


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
