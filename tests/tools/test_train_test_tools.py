"""tools/train.py, test.py, dist_train.sh, dist_test.sh behave as MMAction2's do,
on a stock MMAction2 config (composition) and on the CPU."""

import os
import os.path as osp
import pickle
import re

import pytest
import torch
from conftest import STOCK_CONFIG, RunsCode, assert_ok, run_tool

import avemo_mm  # noqa: F401  (allow-lists mmengine checkpoints for torch.load)


def _accuracy(log: str) -> float:
    found = re.findall(r'Epoch\(test\).*?acc/top1: ([0-9.]+)', log)
    assert found, log[-3000:]
    return float(found[-1])


@pytest.fixture(scope='module')
def trained(tiny_videos_workspace):
    """One epoch of the stock config, with validation (as `tools/train.py CONFIG`)."""
    ws = tiny_videos_workspace
    log = assert_ok(run_tool(['tools/train.py', STOCK_CONFIG, '--work-dir', 'wd_train'], ws))
    return ws, log


def test_train_writes_checkpoints_and_validates(trained):
    ws, log = trained
    files = set(os.listdir(osp.join(ws, 'wd_train')))
    assert {'epoch_1.pth', 'best_acc_top1_epoch_1.pth', 'last_checkpoint'} <= files
    assert 'Epoch(val) [1]' in log


def test_resume_continues_from_the_latest_checkpoint(trained):
    ws, _ = trained
    log = assert_ok(
        run_tool(
            [
                'tools/train.py',
                STOCK_CONFIG,
                '--work-dir',
                'wd_train',
                '--resume',
                '--cfg-options',
                'train_cfg.max_epochs=2',
            ],
            ws,
        )
    )
    assert 'resumed epoch: 1, iter: 4' in log
    assert osp.isfile(osp.join(ws, 'wd_train', 'epoch_2.pth'))
    ckpt = torch.load(osp.join(ws, 'wd_train', 'epoch_2.pth'), weights_only=True)
    assert ckpt['meta']['epoch'] == 2


def test_test_tool_evaluates_and_dumps(trained):
    ws, _ = trained
    log = assert_ok(
        run_tool(
            [
                'tools/test.py',
                STOCK_CONFIG,
                'wd_train/epoch_1.pth',
                '--work-dir',
                'wd_test',
                '--dump',
                'wd_test/results.pkl',
            ],
            ws,
        )
    )
    assert 0.0 <= _accuracy(log) <= 1.0
    with open(osp.join(ws, 'wd_test', 'results.pkl'), 'rb') as f:
        results = pickle.load(f)
    assert len(results) == 4 and 'pred_score' in results[0]


def test_test_tool_refuses_a_checkpoint_that_runs_code(trained, tmp_path):
    ws, _ = trained
    marker = tmp_path / 'code_ran'
    evil = tmp_path / 'evil.pth'
    state = torch.load(osp.join(ws, 'wd_train', 'epoch_1.pth'), weights_only=True)
    state['meta']['hook'] = RunsCode(str(marker))
    torch.save(state, evil)
    proc = run_tool(['tools/test.py', STOCK_CONFIG, str(evil), '--work-dir', 'wd_evil'], ws)
    assert proc.returncode != 0
    assert f'refusing to load checkpoint {evil}' in proc.stdout
    assert not marker.exists()


def test_dist_train_two_cpu_processes_write_one_checkpoint(trained):
    ws, _ = trained
    log = assert_ok(
        run_tool(
            ['tools/dist_train.sh', STOCK_CONFIG, '2', '--work-dir', 'wd_dist', '--no-validate'],
            ws,
        ),
    )
    assert 'Distributed training: True' in log
    assert "'backend': 'gloo'" in log
    # 8 clips, batch 2: one process runs 4 iterations an epoch, each of 2 ranks runs 2
    assert 'Epoch(train) [1][2/2]' in log and '[1][4/4]' not in log
    pths = sorted(f for f in os.listdir(osp.join(ws, 'wd_dist')) if f.endswith('.pth'))
    assert pths == ['epoch_1.pth']
    assert log.count('Saving checkpoint at 1 epochs') == 1  # rank 0 only
    ckpt = torch.load(osp.join(ws, 'wd_dist', 'epoch_1.pth'), weights_only=True)
    assert not any(k.startswith('module.') for k in ckpt['state_dict'])  # DDP unwrapped


def test_dist_test_matches_single_process(trained):
    ws, _ = trained
    single = _accuracy(
        assert_ok(run_tool(['tools/test.py', STOCK_CONFIG, 'wd_train/epoch_1.pth'], ws))
    )
    dist = _accuracy(
        assert_ok(run_tool(['tools/dist_test.sh', STOCK_CONFIG, 'wd_train/epoch_1.pth', '2'], ws))
    )
    assert dist == single
