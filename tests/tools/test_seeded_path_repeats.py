"""The whole seeded path repeats bit for bit: generation, preparation, training, test.

Run 1 is the session's fixtures (``ravdess_root``, ``ravdess_prepared``, ``tiny_avemo``).
Run 2 repeats each step with the same arguments while another process loads the
CPU, and generates and prepares the data with the process held to one CPU: x264
once chose its thread count from the CPUs it could use, and its bytes depend on
that count, so two corpora made under other CPU affinities differed in 300 of 300
clips (pixels up to 81 apart), and everything trained on them after; and even on one
thread its macroblock tree gave other bytes now and then (``write_av_clip`` turns it off;
``tests/utils/test_av_writer.py``).
"""

import glob
import hashlib
import json
import os
import os.path as osp
import subprocess
import sys

import pytest
import torch
from conftest import REPO_ROOT, TINY_CONFIG, assert_ok, run_tool
from test_exact_resume import _same_weights, _val_metrics

import avemo_mm  # noqa: F401  (allow-lists mmengine checkpoints for torch.load)

ONE_CPU = {min(os.sched_getaffinity(0))}


def _run(args: list[str], cwd: str, cpus: set[int] | None = None) -> str:
    return assert_ok(run_tool(args, cwd, timeout=900, cpus=cpus))


def _file_hashes(root: str) -> dict[str, str]:
    """Relative path -> SHA-256 of every file under ``root``."""
    hashes = {}
    for folder, _, names in os.walk(root):
        for name in names:
            path = osp.join(folder, name)
            with open(path, 'rb') as fh:
                hashes[osp.relpath(path, root)] = hashlib.sha256(fh.read()).hexdigest()
    return hashes


def _test_metrics(checkpoint: str, options: list[str], work_dir: str) -> dict:
    _run(['tools/test.py', TINY_CONFIG, checkpoint, '--work-dir', work_dir,
          '--cfg-options', *options], REPO_ROOT)  # fmt: skip
    (path,) = glob.glob(osp.join(work_dir, '*', '[0-9]*.json'))
    with open(path) as fh:
        metrics = json.load(fh)
    return {k: v for k, v in metrics.items() if k not in ('time', 'data_time')}  # clocks


@pytest.fixture
def cpu_load():
    """Another process keeping one CPU busy for the test's duration."""
    proc = subprocess.Popen([sys.executable, '-c', 'while True: pass'])
    yield
    proc.kill()
    proc.wait()


def test_generation_preparation_training_and_test_repeat_exactly(
    ravdess_root, ravdess_prepared, tiny_avemo, tmp_path, cpu_load
):
    # run 2, with the arguments of the fixtures (conftest.py)
    corpus, prepared = str(tmp_path / 'RAVDESS'), str(tmp_path / 'prepared')
    _run(['tools/data/make_synthetic_ravdess.py', corpus, '--actors', '4', '--statements', '1',
          '--video-only'], REPO_ROOT, cpus=ONE_CPU)  # fmt: skip
    _run(['tools/data/prepare_dataset.py', 'ravdess', corpus, prepared, '--face-size', '32',
          '--num-folds', '4'], REPO_ROOT, cpus=ONE_CPU)  # fmt: skip
    options = [f'data_root={corpus}', f'ann_file={prepared}/annotations.json',
               *tiny_avemo['options'][2:]]  # fmt: skip
    work_dir = str(tmp_path / 'train')
    log = _run(['tools/train.py', TINY_CONFIG, '--work-dir', work_dir, '--cfg-options',
                *options, 'train_cfg.max_epochs=2'], REPO_ROOT)  # fmt: skip

    # the data, byte for byte: videos, audio, face cache, records, folds, report
    a_corpus, b_corpus = _file_hashes(ravdess_root), _file_hashes(corpus)
    assert len(a_corpus) == 120 and a_corpus == b_corpus
    a_prepared, b_prepared = _file_hashes(ravdess_prepared), _file_hashes(prepared)
    assert sum(p.startswith('faces') for p in a_prepared) == 120 and a_prepared == b_prepared
    # the training: every validation and the weights
    assert _val_metrics(log) == _val_metrics(tiny_avemo['log']) != {}
    a_ckpt = torch.load(tiny_avemo['checkpoint'], weights_only=True)
    b_ckpt = torch.load(osp.join(work_dir, 'epoch_2.pth'), weights_only=True)
    assert a_ckpt['state_dict'].keys() == b_ckpt['state_dict'].keys()
    _same_weights(a_ckpt, b_ckpt)
    # the test: every metric, the confusion matrix included
    a_test = _test_metrics(tiny_avemo['checkpoint'], tiny_avemo['options'], str(tmp_path / 'ta'))
    b_test = _test_metrics(osp.join(work_dir, 'epoch_2.pth'), options, str(tmp_path / 'tb'))
    assert 'confusion_matrix' in a_test and 'WAR' in a_test
    assert json.dumps(a_test, sort_keys=True) == json.dumps(b_test, sort_keys=True)
