"""configs/avemo_tiny_ravdess.py trains and tests through the tools on generated data."""

import json
import os.path as osp
import re

from conftest import REPO_ROOT, TINY_CONFIG, assert_ok, run_tool


def test_tiny_config_trains_with_fold_and_data_from_the_command_line(tiny_avemo):
    log = tiny_avemo['log']
    # fold 1 of 4: tests actor 2, validates actor 3, trains on actors 1 and 4
    assert "clips in split 'train' of fold 1" in log and "split 'val' of fold 1" in log
    assert re.search(r'loss_cls: [0-9.]+\s+loss_metric: [0-9.]+', log)
    assert 'Epoch(val) [2]' in log and osp.isfile(tiny_avemo['checkpoint'])
    # validation reports the emotion metrics, and the best checkpoint is kept by WAR
    assert re.search(r'Epoch\(val\) \[1\].*WAR: [0-9.]+\s+UAR: [0-9.]+', log)
    assert re.search(r'best_WAR_epoch_[12]\.pth', log)


def test_test_tool_reports_war_uar_per_class_and_confusion(tiny_avemo, tmp_path):
    dump = tmp_path / 'results.pkl'
    test = assert_ok(
        run_tool(
            [
                'tools/test.py',
                TINY_CONFIG,
                tiny_avemo['checkpoint'],
                '--work-dir',
                str(tmp_path),
                '--dump',
                str(dump),
                '--cfg-options',
                *tiny_avemo['options'],
            ],
            REPO_ROOT,
        )
    )
    assert "split 'test' of fold 1" in test
    war = float(re.findall(r'Epoch\(test\).*?WAR: ([0-9.]+)', test)[-1])
    assert 0.0 <= war <= 1.0 and re.search(r'class_acc/surprised: [0-9.]+', test)
    # the metrics JSON of the test run holds the confusion matrix of all 15 test clips
    (scores,) = [p for p in tmp_path.rglob('*.json') if p.name[:8].isdigit()]
    metrics = json.loads(scores.read_text())
    matrix = metrics['confusion_matrix']
    assert len(matrix) == 8 and sum(map(sum, matrix)) == 15
    assert abs(sum(matrix[i][i] for i in range(8)) / 15 - metrics['WAR']) < 1e-4
    # the dump has, per clip, the prediction, the probabilities and the embedding
    from mmengine.fileio import load

    results = load(str(dump))
    assert len(results) == 15
    first = results[0]
    assert first['pred_score'].shape == (8,) and abs(float(first['pred_score'].sum()) - 1) < 1e-4
    assert first['embedding'].shape == (64,) and 'gt_label' in first and 'pred_label' in first


def test_dist_test_counts_each_clip_once_like_a_single_process(tiny_avemo, tmp_path):
    """15 test clips over 2 processes: the sampler pads one, the metric must drop it."""

    def metrics(args, name):
        out = assert_ok(run_tool([*args, '--work-dir', str(tmp_path / name)], REPO_ROOT))
        (path,) = [p for p in (tmp_path / name).rglob('*.json') if p.name[:8].isdigit()]
        return out, json.loads(path.read_text())

    options = ['--cfg-options', *tiny_avemo['options']]
    _, single = metrics(['tools/test.py', TINY_CONFIG, tiny_avemo['checkpoint'], *options], 's')
    log, dist = metrics(
        ['tools/dist_test.sh', TINY_CONFIG, tiny_avemo['checkpoint'], '2', *options], 'd'
    )
    assert 'world_size: 2' in log or 'distributed' in log.lower()
    assert sum(map(sum, dist['confusion_matrix'])) == 15
    for key in ('WAR', 'UAR', 'confusion_matrix', 'class_acc/neutral'):
        assert dist[key] == single[key], key


def test_head_with_other_classes_than_the_dataset_stops_before_training(
    ravdess_root, ravdess_prepared, tmp_path
):
    proc = run_tool(
        [
            'tools/train.py',
            TINY_CONFIG,
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
