"""Every config parses, inherits at most three levels, and builds its model and pipelines."""

import ast
import glob
import os.path as osp

import pytest
from mmaction.registry import MODELS
from mmengine.config import Config
from mmengine.dataset import Compose
from mmengine.registry import init_default_scope

import avemo_mm  # noqa: F401

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
CONFIGS = sorted(
    p
    for p in glob.glob(osp.join(REPO, 'configs', '**', '*.py'), recursive=True)
    if '_base_' not in p
)


def _bases(path):
    """The ``_base_`` files a config names (read with ast, not executed)."""
    for node in ast.parse(open(path).read()).body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], 'id', '') == '_base_':
            value = ast.literal_eval(node.value)
            return [value] if isinstance(value, str) else list(value)
    return []


def _depth(path):
    """Levels of inheritance below a config (MMAction2's own bases count as one)."""
    bases = _bases(path)
    if not bases:
        return 0
    local = [osp.join(osp.dirname(path), b) for b in bases if not b.startswith('mmaction::')]
    return 1 + max((_depth(b) for b in local), default=0)


@pytest.mark.parametrize('path', CONFIGS, ids=[osp.relpath(p, REPO) for p in CONFIGS])
def test_config_builds(path):
    cfg = Config.fromfile(path)
    init_default_scope(cfg.get('default_scope', 'mmaction'))
    assert cfg.custom_imports['imports'] == ['avemo_mm']
    assert _depth(path) <= 3
    model = MODELS.build(cfg.model)
    head = getattr(model, 'cls_head', None)
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        pipeline = Compose(cfg[loader].dataset.pipeline)
        assert pipeline is not None
        if type(model).__name__ == 'AVRecognizer':
            keys = cfg[loader].dataset.pipeline[-1]['collect_keys']
            expected = dict(audio=('audios',), video=('imgs',))
            assert tuple(keys) == expected.get(head.modality, ('imgs', 'audios'))
    if type(model).__name__ == 'AVRecognizer':
        classes = 6 if 'cremad' in path else 8
        assert head.num_classes == classes


def test_paper_configs_are_the_paper_setting():
    for corpus, classes in (('ravdess', 8), ('cremad', 6)):
        cfg = Config.fromfile(osp.join(REPO, 'configs', f'avemo_{corpus}.py'))
        assert cfg.model.video_backbone == dict(type='HaraResNet3d', depth=101, pretrained=None)
        assert cfg.model.audio_backbone.depth == 18
        assert cfg.model.video_neck.num_heads == 8 and cfg.model.cls_head.in_channels == 512
        # the face learns from the first step (docs/method.md, learning from both)
        assert cfg.model.video_neck.residual is True
        assert cfg.model.cls_head.loss_metric.type == 'EmotionMetricLoss'
        assert cfg.optim_wrapper.optimizer == dict(type='Adam', lr=1e-4, betas=(0.9, 0.999))
        assert cfg.train_dataloader.batch_size == 16
        stop = [h for h in cfg.custom_hooks if h['type'] == 'ResumableEarlyStoppingHook']
        assert stop and stop[0]['patience'] == 20 and stop[0]['monitor'] == 'WAR'
        assert cfg.train_dataloader.dataset.pipeline[1] == dict(
            type='SampleSnippets', num_snippets=6, snippet_len=16
        )
        assert cfg.model.cls_head.num_classes == classes
