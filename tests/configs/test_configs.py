"""Every config parses, inherits at most three levels, and builds its model and pipelines."""

import ast
import glob
import os.path as osp
import re

import pytest
from mmaction.registry import MODELS
from mmengine.config import Config
from mmengine.dataset import Compose
from mmengine.registry import init_default_scope

import avemo_mm  # noqa: F401

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
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


@pytest.mark.parametrize(
    'path',
    sorted(glob.glob(osp.join(REPO, 'configs', 'avemo', '*-audio.py')))
    + sorted(glob.glob(osp.join(REPO, 'configs', 'avemo', '*-rgb.py'))),
    ids=osp.basename,
)
def test_every_ablation_of_tables_1_2_trains_with_the_plain_triplet_loss(path):
    # Sec. 4.3: "In all these cases, the traditional triplet loss function is used"
    cfg = Config.fromfile(path)
    assert cfg.model.cls_head.loss_metric == dict(type='TripletLoss')
    assert cfg.model.cls_head.modality in ('audio', 'video')


def test_paper_configs_are_the_paper_setting():
    for corpus, classes in (('ravdess', 8), ('cremad', 6)):
        cfg = Config.fromfile(osp.join(REPO, 'configs', f'avemo_{corpus}.py'))
        assert cfg.model.video_backbone == dict(type='HaraResNet3d', depth=101, pretrained=None)
        assert cfg.model.audio_backbone.depth == 18
        assert cfg.model.video_neck.num_heads == 8 and cfg.model.cls_head.in_channels == 512
        # the paper's letter: no residual connections in VS, VC, VT (its departures:
        # tests/evaluation/test_paper_departures.py)
        assert cfg.model.video_neck.residual is False
        assert cfg.model.cls_head.loss_metric.type == 'EmotionMetricLoss'
        assert cfg.optim_wrapper.optimizer == dict(type='Adam', lr=1e-4, betas=(0.9, 0.999))
        assert cfg.train_dataloader.batch_size == 16
        stop = [h for h in cfg.custom_hooks if h['type'] == 'ResumableEarlyStoppingHook']
        assert stop and stop[0]['patience'] == 20 and stop[0]['monitor'] == 'WAR'
        assert cfg.train_dataloader.dataset.pipeline[1] == dict(
            type='SampleSnippets', num_snippets=6, snippet_len=16
        )
        assert cfg.model.cls_head.num_classes == classes


HARA_KINETICS_RGB = dict(mean=(0.4345, 0.4051, 0.3775), std=(0.2768, 0.2713, 0.2737))


@pytest.mark.parametrize('corpus', ['ravdess', 'cremad'])
def test_paper_configs_normalise_faces_as_hara_s_weights_were_trained(corpus):
    cfg = Config.fromfile(osp.join(REPO, 'configs', f'avemo_{corpus}.py'))
    imgs = cfg.model.data_preprocessor.preprocessors.imgs
    assert imgs.mean == pytest.approx([255 * v for v in HARA_KINETICS_RGB['mean']], abs=0.01)
    assert imgs.std == pytest.approx([255 * v for v in HARA_KINETICS_RGB['std']], abs=0.01)
    assert not imgs.get('to_rgb', False)  # the frames arrive as RGB already


def test_a_red_face_reaches_the_model_as_red(tmp_path):
    """End to end: face clip (H.264, RGB in) -> decord -> pipeline -> preprocessor.

    Channel 0 must be red, as in Hara's training: a BGR swap anywhere would put the
    blue value there.
    """
    import numpy as np
    from mmengine.dataset import pseudo_collate

    from avemo_mm.utils.av_writer import write_av_clip

    rgb = (200, 40, 90)
    path = str(tmp_path / 'face.mp4')
    write_av_clip(path, np.full((96, 32, 32, 3), rgb, np.uint8), fps=30.0, crf=0)
    cfg = Config.fromfile(
        osp.join(REPO, 'configs', 'avemo', 'avemo-vs_r3d101_1xb16-6x16x1-es20_ravdess-rgb.py')
    )
    init_default_scope('mmaction')
    pipeline = Compose(cfg.test_dataloader.dataset.pipeline)
    packed = pipeline(dict(filename=path, label=0, start_index=0, modality='RGB'))
    model = MODELS.build(cfg.model)
    imgs = model.data_preprocessor(pseudo_collate([packed]), False)['inputs']['imgs']
    assert imgs.shape[-4] == 3  # [B, N, C, T, H, W]: C is dim -4
    per_channel = imgs.transpose(0, -4).reshape(3, -1).mean(1)
    mean, std = (
        np.array(cfg.model.data_preprocessor.preprocessors.imgs.mean),
        np.array(cfg.model.data_preprocessor.preprocessors.imgs.std),
    )
    expected = (np.array(rgb) - mean) / std
    assert per_channel.numpy() == pytest.approx(expected, abs=0.1)


@pytest.mark.parametrize('corpus', ['ravdess', 'cremad'])
def test_the_literal_configs_are_the_papers_letter_and_nothing_else(corpus):
    """The literal config reverts every departure of the departures table, and differs
    from the paper config in nothing else."""
    stem = f'{REPO}/configs/avemo/avemo_r3d101-r18_1xb16-6x16x1-es20_{corpus}-av'
    literal, paper = Config.fromfile(f'{stem}-literal.py'), Config.fromfile(f'{stem}.py')
    letter = {
        'video_neck.residual': False, 'audio_neck.residual': False,
        'cls_head.cross_gate': None, 'cls_head.skip_tanh': True, 'cls_head.scale_corr': False,
        'cls_head.input_norm': False, 'cls_head.eq8': 'printed', 'cls_head.embed_norm': None,
        'cls_head.snippet_pool': 'flatten',
    }  # fmt: skip
    table = open(f'{REPO}/docs/method.md').read().split('## Departures from the paper')[1]
    table = table.split('\n## ')[0]
    assert sorted(re.findall(r'^\| `([\w.]+)` \|', table, flags=re.M)) == sorted(letter)
    model, reference = literal.model.to_dict(), paper.model.to_dict()
    for key, value in letter.items():
        part, option = key.split('.')
        assert model[part][option] == value, key
        model[part].pop(option), reference[part].pop(option, None)
    assert model == reference
    assert literal.train_dataloader == paper.train_dataloader


def test_paper_configs_learn_the_corpus_class_prior_and_tiny_ones_a_uniform_one():
    """WAR, the paper's metric, weighs the classes as the corpus does; the tiny recipe
    keeps the uniform prior its figures were measured with."""
    for path in CONFIGS:
        cfg = Config.fromfile(path)
        sampler = cfg.get('train_dataloader', {}).get('batch_sampler') or {}
        if sampler.get('type') != 'ClassBalancedBatchSampler':
            continue
        expected = 'balanced' if 'avemo_tiny_' in path else 'corpus'
        assert sampler.get('class_prior') == expected, path
