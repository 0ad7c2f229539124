"""The compatibility fixes of avemo_mm.compat, each against the real upstream bug."""

import os
import pickle

import numpy as np
import pytest
import torch

import avemo_mm  # noqa: F401  (applies the fixes)
from avemo_mm import compat


def test_every_fix_applied_on_this_stack():
    applied = compat.apply()
    # mmaction2 1.2.0 lacks drn/ and torch 2.11 has add_safe_globals: both needed here
    assert applied == {
        'mmaction_missing_drn': True,
        'weights_only_checkpoints': True,
        'test_metrics_rank0_only': True,
        'color_jitter_hue_int16': True,  # numpy 2.4: a negative uint8 shift overflows
    }


def test_color_jitter_shifts_the_hue_both_ways():
    import cv2
    from mmaction.datasets.transforms import ColorJitter

    from avemo_mm.compat.color_jitter_hue import patch_color_jitter_hue

    red = np.zeros((1, 1, 3), np.uint8)
    red[..., 0] = 255  # RGB red: OpenCV hue 0
    for factor, hue in ((-0.1, 155), (0.1, 25), (0.5, 127)):  # int(f * 255) % 180
        expected = np.array([[[hue, 255, 255]]], np.uint8)
        expected = cv2.cvtColor(expected, cv2.COLOR_HSV2RGB).astype(np.float32)
        np.testing.assert_array_equal(ColorJitter.adjust_hue(red, factor), expected)
    assert patch_color_jitter_hue() is False  # patched once: nothing overflows now
    # the transform as a config sets it: every clip goes through (half failed before)
    jitter = ColorJitter(brightness=0.2, contrast=0.2, saturation=0.4, hue=0.1)
    frames = np.random.default_rng(0).integers(0, 256, (4, 8, 8, 3), dtype=np.uint8)
    for _ in range(20):
        out = jitter.transform(dict(imgs=list(frames)))
        assert len(out['imgs']) == 4 and out['imgs'][0].shape == (8, 8, 3)


def test_mmaction_models_import_and_drn_placeholder_is_explicit():
    import mmaction.models  # noqa: F401  (failed with ModuleNotFoundError before the fix)
    from mmaction.registry import MODELS

    assert len(MODELS.module_dict) > 70
    from mmaction.models.localizers import DRN

    with pytest.raises(ImportError, match='missing from the published mmaction2 1.2.0 wheel'):
        DRN()


def test_drn_fix_is_a_no_op_where_the_package_exists(tmp_path, monkeypatch):
    import importlib.util

    fake_root = tmp_path / 'mmaction'
    (fake_root / 'models' / 'localizers' / 'drn').mkdir(parents=True)
    spec = importlib.util.spec_from_loader('mmaction', loader=None, is_package=True)
    spec.submodule_search_locations = [str(fake_root)]
    monkeypatch.setattr(importlib.util, 'find_spec', lambda name: spec)
    assert compat.drn.drn_package_missing() is False


class _RunsCode:
    """Pickles to a call of os.system: loading it must never run that call."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f'touch {self.marker}',))


class _ReachesBuiltins:
    """Pickles to getattr(getattr, '__self__'), the builtins module."""

    def __reduce__(self):
        return (getattr, (getattr, '__self__'))


def _load(path):
    from mmengine.runner.checkpoint import _load_checkpoint

    return _load_checkpoint(str(path), map_location='cpu')


def test_checkpoint_with_pickled_callable_is_refused(tmp_path):
    marker = tmp_path / 'code_ran'
    path = tmp_path / 'evil.pth'
    torch.save({'state_dict': {'w': torch.zeros(1)}, 'meta': _RunsCode(marker)}, path)
    with pytest.raises(compat.CheckpointRefusedError, match='refusing to load checkpoint') as err:
        _load(path)
    assert str(path) in str(err.value) and 'posix.system' in str(err.value)
    assert not marker.exists()


def test_getattr_is_restricted_to_history_buffer_methods(tmp_path):
    path = tmp_path / 'evil_getattr.pth'
    torch.save({'meta': {'statistics_methods': {'mean': _ReachesBuiltins()}}}, path)
    with pytest.raises(compat.CheckpointRefusedError, match='refusing getattr'):
        _load(path)


def test_mmengine_objects_round_trip(tmp_path):
    from mmengine.logging import HistoryBuffer, MessageHub

    hub = MessageHub.get_instance('compat_round_trip')
    for v in (1.0, 3.0):
        hub.update_scalar('train/loss', v)
    hub.update_info('best_score', np.float64(0.75))
    path = tmp_path / 'ok.pth'
    torch.save({'state_dict': {'w': torch.ones(2)}, 'meta': {'hub': hub.state_dict()}}, path)
    loaded = _load(path)
    buffer = loaded['meta']['hub']['log_scalars']['train/loss']
    assert isinstance(buffer, HistoryBuffer)
    assert buffer.mean() == 2.0 and buffer.statistics('max') == 3.0
    assert loaded['meta']['hub']['runtime_info']['best_score'] == 0.75


def test_missing_checkpoint_names_the_file(tmp_path):
    with pytest.raises(FileNotFoundError, match='nope.pth'):
        compat.load_checkpoint_weights_only(str(tmp_path / 'nope.pth'))


def test_cpu_distributed_is_a_no_op_without_the_pytorch_launcher():
    from mmengine.config import Config

    cfg = Config(dict(launcher='none'))
    assert compat.setup_cpu_distributed(cfg) is False
    assert 'model_wrapper_cfg' not in cfg


def test_unpickling_is_never_globally_relaxed():
    # a plain torch.load (weights_only default) still refuses arbitrary code
    assert os.environ.get('TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD') in (None, '', '0')
    with pytest.raises(pickle.UnpicklingError):
        import io

        buf = io.BytesIO()
        torch.save({'x': _RunsCode('/nonexistent/never')}, buf)
        buf.seek(0)
        torch.load(buf)


def test_only_rank_0_writes_the_test_metrics(monkeypatch, tmp_path):
    from mmengine import dist
    from mmengine.hooks import LoggerHook

    class _Runner:  # what LoggerHook.after_test_epoch reads
        log_dir = str(tmp_path)

    hook = LoggerHook()
    hook.json_log_path = 'metrics.json'
    monkeypatch.setattr(dist, 'get_rank', lambda: 1)
    hook.after_test_epoch(_Runner(), {'WAR': 1.0})  # rank 1: nothing, not even a read
    assert not list(tmp_path.iterdir())


EXIT_SCRIPT = """
import logging, os, sys
import torch.distributed as dist
from avemo_mm.compat import exit_distributed
exit_distributed()  # no process group yet: returns
dist.init_process_group('gloo', rank=0, world_size=1)
log = logging.getLogger('run')
log.addHandler(logging.FileHandler(sys.argv[1]))
log.warning('last line of the log')
sys.stdout.write('buffered, no newline')
exit_distributed()
print('not reached')
"""


def test_exit_distributed_closes_flushes_and_leaves_without_the_teardown(tmp_path):
    import socket
    import subprocess
    import sys

    with socket.socket() as sock:  # a free port for the one-process group
        sock.bind(('127.0.0.1', 0))
        port = sock.getsockname()[1]
    log = tmp_path / 'run.log'
    env = dict(os.environ, MASTER_ADDR='127.0.0.1', MASTER_PORT=str(port))
    proc = subprocess.run(
        [sys.executable, '-c', EXIT_SCRIPT, str(log)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == 'buffered, no newline'  # flushed, and nothing ran after the exit
    assert log.read_text() == 'last line of the log\n'
