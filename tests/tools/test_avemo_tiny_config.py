"""configs/avemo_tiny_ravdess.py trains and tests through the tools on generated data."""

import json
import os.path as osp
import re

import pytest
import torch
from conftest import (
    REPO_ROOT,
    TINY_AUDIO_CONFIG,
    TINY_CONFIG,
    TINY_VIDEO_CONFIG,
    RunsCode,
    assert_ok,
    ravdess_clip,
    run_on_tiny,
    run_tool,
)


def test_tiny_config_trains_with_fold_and_data_from_the_command_line(tiny_avemo):
    log = tiny_avemo['log']
    # fold 1 of 4: tests actor 3, validates actor 4, trains on actors 1 and 2
    assert "clips in split 'train' of fold 1" in log and "split 'val' of fold 1" in log
    assert re.search(r'loss_cls: [0-9.]+\s+loss_metric: [0-9.]+', log)
    assert 'Epoch(val) [2]' in log and osp.isfile(tiny_avemo['checkpoint'])
    # validation reports the emotion metrics, and the best checkpoint is kept by WAR
    assert re.search(r'Epoch\(val\) \[1\].*WAR: [0-9.]+\s+UAR: [0-9.]+', log)
    assert re.search(r'best_WAR_epoch_[12]\.pth', log)


def test_test_tool_reports_war_uar_per_class_and_confusion(tiny_avemo, tmp_path):
    dump = tmp_path / 'results.pkl'
    test = run_on_tiny(
        'tools/test.py', tiny_avemo, '--work-dir', str(tmp_path), '--dump', str(dump)
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


OTHER_SHAPE = 'model.cls_head.embed_channels=32'  # the checkpoint's embedding has 64


def _train_from(checkpoint, tiny_avemo, work_dir, *options):
    """``tools/train.py`` on the tiny config and data, initialised by ``load_from``."""
    return run_tool(
        ['tools/train.py', TINY_CONFIG, '--work-dir', str(work_dir), '--cfg-options',
         *tiny_avemo['options'], f'load_from={checkpoint}', *options],
        REPO_ROOT,
    )  # fmt: skip


def test_checkpoint_of_another_shape_stops_train_test_and_demo_before_any_step(
    tiny_avemo, ravdess_root, tmp_path
):
    ckpt, options = tiny_avemo['checkpoint'], tiny_avemo['options']
    train = _train_from(ckpt, tiny_avemo, tmp_path / 'train', OTHER_SHAPE)
    test = run_tool(
        [
            'tools/test.py',
            TINY_CONFIG,
            ckpt,
            '--work-dir',
            str(tmp_path / 'test'),
            '--cfg-options',
            *options,
            OTHER_SHAPE,
        ],
        REPO_ROOT,
    )
    for proc, step in ((train, 'Epoch(train)'), (test, 'Epoch(test)')):
        assert proc.returncode != 0 and step not in proc.stdout
        assert f'checkpoint {ckpt} does not fit the model' in proc.stdout
        assert re.search(r'cls_head\.\S+: shape \(64, \d+\) in the checkpoint, \(32,', proc.stdout)
    video = ravdess_clip(ravdess_root)
    demo = run_tool(
        ['tools/demo.py', video, TINY_CONFIG, ckpt, '--cfg-options', OTHER_SHAPE], REPO_ROOT
    )
    assert demo.returncode == 1 and 'Traceback' not in demo.stdout
    assert f'demo: checkpoint {ckpt} does not fit the model' in demo.stdout


def test_fine_tuning_on_other_classes_skips_only_the_named_layers(tiny_avemo, tmp_path):
    """ignore_prefixes: a checkpoint of 8 classes initialises a model of 6 but its head."""
    from avemo_mm.apis import init_model
    from avemo_mm.engine import CheckpointMismatchError, CheckpointShapeCheckHook

    model = init_model(TINY_CONFIG, None, cfg_options={'model.cls_head.num_classes': 6})
    ckpt = torch.load(tiny_avemo['checkpoint'], weights_only=True)

    class _Runner:  # what the hook reads from mmengine's Runner
        def __init__(self):
            self.model, self.cfg, self.work_dir = model, dict(load_from='x.pth'), str(tmp_path)

    with pytest.raises(
        CheckpointMismatchError, match=r'(?s)checkpoint x.pth .*fc_cls.weight.*ignore_prefixes'
    ):
        CheckpointShapeCheckHook().after_load_checkpoint(_Runner(), dict(ckpt))
    hook = CheckpointShapeCheckHook(ignore_prefixes=['cls_head.fc_cls'])
    hook.after_load_checkpoint(_Runner(), ckpt)
    assert not any(k.startswith('cls_head.fc_cls') for k in ckpt['state_dict'])
    assert any(k.startswith('cls_head.') for k in ckpt['state_dict'])


def test_test_tool_and_demo_refuse_a_checkpoint_that_runs_code(tiny_avemo, ravdess_root, tmp_path):
    marker = tmp_path / 'code_ran'
    evil = tmp_path / 'evil.pth'
    state = torch.load(tiny_avemo['checkpoint'], weights_only=True)
    state['meta']['hook'] = RunsCode(str(marker))
    torch.save(state, evil)
    video = ravdess_clip(ravdess_root)
    demo = run_tool(['tools/demo.py', video, TINY_CONFIG, str(evil)], REPO_ROOT)
    assert demo.returncode == 1 and f'refusing to load checkpoint {evil}' in demo.stdout
    train = _train_from(evil, tiny_avemo, tmp_path / 'train')
    assert train.returncode != 0 and f'refusing to load checkpoint {evil}' in train.stdout
    assert 'Epoch(train)' not in train.stdout and not marker.exists()


@pytest.mark.parametrize(
    'config', [TINY_CONFIG, TINY_AUDIO_CONFIG, TINY_VIDEO_CONFIG], ids=['av', 'audio', 'video']
)
def test_dist_train_sh_trains_each_tiny_config_on_two_cpu_processes(config, tiny_avemo, tmp_path):
    """Every ablation on 2 processes: DDP fails when a parameter (the cross-modal W of an
    audio-only head, say) takes no part in the loss."""
    log = assert_ok(
        run_tool(
            [
                'tools/dist_train.sh',
                config,
                '2',
                '--work-dir',
                str(tmp_path),
                '--cfg-options',
                *tiny_avemo['options'],
                'train_cfg.max_epochs=1',
            ],
            REPO_ROOT,
        )
    )
    assert 'Distributed training: True' in log and "'backend': 'gloo'" in log
    # 30 training clips, 15 a process, batches of 8: one full batch a process
    assert 'Epoch(train) [1][1/1]' in log and re.search(r'Epoch\(val\) \[1\].*WAR', log)
    ckpt = torch.load(str(tmp_path / 'epoch_1.pth'), weights_only=True)
    assert not any(k.startswith('module.') for k in ckpt['state_dict'])


def test_amp_on_the_cpu_trains_in_bf16_through_the_standard_flag(tiny_avemo, tmp_path):
    log = assert_ok(
        run_tool(
            ['tools/train.py', TINY_CONFIG, '--amp', '--work-dir', str(tmp_path),
             '--cfg-options', *tiny_avemo['options'], 'train_cfg.max_epochs=1'],
            REPO_ROOT,
        )
    )  # fmt: skip
    assert "type='AutocastOptimWrapper'" in log and "dtype='bfloat16'" in log
    loss = float(re.findall(r'Epoch\(train\) \[1\].*? loss: ([0-9.naif]+)', log)[-1])
    assert loss == loss and loss < 100  # finite
    assert re.search(r'Epoch\(val\) \[1\].*WAR: [0-9.]+', log)


# the default sampler instead of the class-balanced one (which refuses a batch size
# that is not a multiple of its clips per class)
DEFAULT_SAMPLER = ['train_dataloader.batch_sampler=None']


def test_training_on_one_clip_a_step(tiny_avemo, tmp_path):
    """Through the tool (every shipped model does in tests/configs/test_batch_of_one.py)."""
    log = assert_ok(
        run_tool(
            ['tools/train.py', TINY_CONFIG, '--work-dir', str(tmp_path), '--no-validate',
             '--cfg-options', *tiny_avemo['options'], 'train_cfg.max_epochs=1',
             'train_dataloader.batch_size=1', *DEFAULT_SAMPLER],
            REPO_ROOT,
        )
    )  # fmt: skip
    # the fixture's 30 training clips, one a step; one clip has no pair for the metric loss
    assert 'Epoch(train) [1][30/30]' in log
    losses = re.findall(r'Epoch\(train\) \[1\]\[\s*\d+/30\].*? loss: ([0-9.naif]+)', log)
    assert losses and all(float(v) == float(v) for v in losses)  # never NaN
    assert 'had no valid triplet' in log
    assert osp.isfile(tmp_path / 'epoch_1.pth')


def test_dist_train_sh_trains_with_a_last_batch_of_one_clip(tiny_avemo, tmp_path):
    """Two processes, 15 training clips each in batches of 7: 7, 7 and 1."""
    log = assert_ok(
        run_tool(
            ['tools/dist_train.sh', TINY_CONFIG, '2', '--work-dir', str(tmp_path),
             '--no-validate', '--cfg-options', *tiny_avemo['options'],
             'train_cfg.max_epochs=1', 'train_dataloader.batch_size=7', *DEFAULT_SAMPLER],
            REPO_ROOT,
        )
    )  # fmt: skip
    assert 'Distributed training: True' in log and 'Epoch(train) [1][3/3]' in log
    loss = float(re.findall(r'Epoch\(train\) \[1\]\[3/3\].*? loss: ([0-9.naif]+)', log)[-1])
    assert loss == loss  # finite, not NaN
    assert osp.isfile(tmp_path / 'epoch_1.pth')
