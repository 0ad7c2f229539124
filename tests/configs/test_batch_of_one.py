"""Every shipped audio-visual model trains on one clip a step (a batch of one per process).

Built from each config (one of each RAVDESS / CREMA-D pair; the paper configs at 4
frames of 32 px and 32 x 32 spectrograms, their architecture unchanged), two optimiser
steps on a single clip.
"""

import glob
import json
import math

import pytest
import torch
from conftest import REPO_ROOT
from mmaction.registry import MODELS
from mmaction.structures import ActionDataSample
from mmengine.config import Config
from mmengine.optim import OptimWrapper
from mmengine.registry import init_default_scope

import avemo_mm  # noqa: F401
from avemo_mm.datasets.emotions import CREMAD_CLASSES, RAVDESS_CLASSES, emotion_metainfo


def _architectures() -> list[str]:
    """One config per distinct audio-visual model (RAVDESS and CREMA-D twins differ in
    the number of classes only, which a batch of one does not touch)."""
    kept = {}
    for path in sorted(glob.glob(f'{REPO_ROOT}/configs/**/*.py', recursive=True)):
        model = Config.fromfile(path).model if '_base_' not in path else None
        if model is None or model.type != 'AVRecognizer':
            continue
        model = model.to_dict()
        model['cls_head'].pop('num_classes', None)
        kept.setdefault(json.dumps(model, sort_keys=True, default=str), path)
    return list(kept.values())


def _one_clip(num_snippets: int, modality: str, seed: int) -> dict:
    """What PackActionInputs + pseudo_collate give for one clip."""
    g = torch.Generator().manual_seed(seed)
    inputs = {}
    if modality != 'audio':
        inputs['imgs'] = [torch.randint(0, 256, (num_snippets, 3, 4, 32, 32), generator=g)]
    if modality != 'video':
        inputs['audios'] = [torch.randn(num_snippets, 1, 32, 32, generator=g)]
    return dict(inputs=inputs, data_samples=[ActionDataSample().set_gt_label(seed % 6)])


@pytest.mark.parametrize('path', _architectures(), ids=lambda p: p[len(REPO_ROOT) + 1 :])
def test_a_batch_of_one_clip_trains(path):
    cfg = Config.fromfile(path)
    if 'video_neck' in cfg.model and cfg.model.video_neck:
        cfg.model.video_neck.spatial_tokens = 1  # 32 px: a 1 x 1 feature map
    init_default_scope('mmaction')
    torch.manual_seed(0)
    model = MODELS.build(cfg.model)
    model.init_weights()
    model.train()
    head = model.cls_head
    classes = CREMAD_CLASSES if head.num_classes == 6 else RAVDESS_CLASSES
    model.set_dataset_meta(emotion_metainfo(classes))  # what DatasetMetaHook does
    optim = OptimWrapper(torch.optim.SGD(model.parameters(), lr=1e-3))
    before = head.fc_cls.weight.detach().clone()
    for step in range(2):
        losses = model.train_step(_one_clip(head.num_snippets, head.modality, step), optim)
        assert all(math.isfinite(v.item()) for v in losses.values()), losses
        if head.loss_metric is not None:  # one clip: no pair, nothing added
            assert losses['loss_metric'].item() == 0.0
    assert not torch.equal(head.fc_cls.weight, before)
