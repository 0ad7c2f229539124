"""configs/avemo_tiny_ravdess.py trains and tests through the tools on generated data."""

import os.path as osp
import re

from conftest import REPO_ROOT, assert_ok, run_tool

CONFIG = osp.join(REPO_ROOT, 'configs', 'avemo_tiny_ravdess.py')


def test_tiny_config_trains_and_tests_with_fold_and_data_from_the_command_line(
    ravdess_root, ravdess_prepared, tmp_path
):
    data = [f'data_root={ravdess_root}', f'ann_file={ravdess_prepared}/annotations.json', 'fold=1']
    log = assert_ok(
        run_tool(
            [
                'tools/train.py',
                CONFIG,
                '--work-dir',
                str(tmp_path),
                '--cfg-options',
                *data,
                'train_cfg.max_epochs=1',
            ],
            REPO_ROOT,
        )
    )
    # fold 1 of 4: tests actor 2, validates actor 3, trains on actors 1 and 4
    assert "clips in split 'train' of fold 1" in log and "split 'val' of fold 1" in log
    assert re.search(r'loss_cls: [0-9.]+\s+loss_metric: [0-9.]+', log)
    assert 'Epoch(val) [1]' in log and osp.isfile(tmp_path / 'epoch_1.pth')
    test = assert_ok(
        run_tool(
            [
                'tools/test.py',
                CONFIG,
                str(tmp_path / 'epoch_1.pth'),
                '--work-dir',
                str(tmp_path),
                '--cfg-options',
                *data,
            ],
            REPO_ROOT,
        )
    )
    assert "split 'test' of fold 1" in test
    accuracy = float(re.findall(r'Epoch\(test\).*?acc/top1: ([0-9.]+)', test)[-1])
    assert 0.0 <= accuracy <= 1.0


def test_head_with_other_classes_than_the_dataset_stops_before_training(
    ravdess_root, ravdess_prepared, tmp_path
):
    proc = run_tool(
        [
            'tools/train.py',
            CONFIG,
            '--work-dir',
            str(tmp_path),
            '--cfg-options',
            f'data_root={ravdess_root}',
            f'ann_file={ravdess_prepared}/annotations.json',
            'model.cls_head.num_classes=6',
        ],
        REPO_ROOT,
    )
    assert proc.returncode != 0
    assert 'the dataset has 8 classes' in proc.stdout and 'Epoch(train)' not in proc.stdout
