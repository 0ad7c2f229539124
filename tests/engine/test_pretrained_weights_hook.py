"""The paper configs warn when they would train their backbones from scratch."""

import glob
import os.path as osp
from types import SimpleNamespace

import pytest
from mmengine.config import Config
from mmengine.logging import MMLogger

import avemo_mm  # noqa: F401
from avemo_mm.engine import PretrainedWeightsHook

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
PAPER_CONFIGS = sorted(glob.glob(osp.join(REPO, 'configs', 'avemo', '*.py'))) + [
    osp.join(REPO, 'configs', f'avemo_{corpus}.py') for corpus in ('ravdess', 'cremad')
]


def _hook(cfg):
    found = [h for h in cfg.get('custom_hooks', []) if h['type'] == 'PretrainedWeightsHook']
    return (
        PretrainedWeightsHook(**{k: v for k, v in found[0].items() if k != 'type'})
        if found
        else None
    )


def _warnings(cfg, mm_log):
    hook = _hook(cfg)
    hook.before_train(SimpleNamespace(cfg=cfg, logger=MMLogger.get_current_instance()))
    return str(mm_log)


@pytest.mark.parametrize('path', PAPER_CONFIGS, ids=osp.basename)
def test_a_paper_config_names_each_backbone_it_would_train_from_scratch(path, mm_log):
    cfg = Config.fromfile(path)
    text = _warnings(cfg, mm_log)
    for key, weights in (('video_backbone', 'r3d101_K_200ep.pth'), ('audio_backbone', 'resnet18')):
        built = cfg.model.get(key) is not None
        assert (f'model.{key}.pretrained is not set' in text) == built, key
        assert (weights in text) == built


def test_no_warning_once_the_weights_or_a_checkpoint_are_given(mm_log):
    cfg = Config.fromfile(osp.join(REPO, 'configs', 'avemo_ravdess.py'))
    cfg.merge_from_dict({'model.video_backbone.pretrained': 'r3d101_K_200ep.pth'})
    assert 'video_backbone' not in _warnings(cfg, mm_log)
    assert 'model.audio_backbone.pretrained is not set' in str(mm_log)
    cfg.merge_from_dict({'load_from': 'work_dirs/x/best.pth'})
    assert _hook(cfg).missing(cfg) == []


@pytest.mark.parametrize('name', ['avemo_tiny_ravdess.py', 'avemo_tiny_ravdess_at.py'])
def test_the_tiny_configs_mean_to_start_from_scratch(name):
    assert _hook(Config.fromfile(osp.join(REPO, 'configs', name))) is None
