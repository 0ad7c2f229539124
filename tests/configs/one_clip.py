"""A shipped config's model ready to train on one clip, and that clip (for the batch-of-one
tests, in one process and in each process of a distributed run)."""

import torch
from mmaction.registry import MODELS
from mmaction.structures import ActionDataSample
from mmengine.config import Config
from mmengine.registry import init_default_scope

import avemo_mm  # noqa: F401
from avemo_mm.datasets.emotions import CREMAD_CLASSES, RAVDESS_CLASSES, emotion_metainfo


def prepared_model(cfg: Config) -> torch.nn.Module:
    """The config's model at 32 px, initialised, in training mode, with its classes."""
    if cfg.model.get('video_neck'):
        cfg.model.video_neck.spatial_tokens = 1  # 32 px: a 1 x 1 feature map
    init_default_scope('mmaction')
    model = MODELS.build(cfg.model)
    model.init_weights()
    model.train()
    classes = CREMAD_CLASSES if model.cls_head.num_classes == 6 else RAVDESS_CLASSES
    model.set_dataset_meta(emotion_metainfo(classes))  # what DatasetMetaHook does
    return model


def one_clip(num_snippets: int, modality: str, seed: int) -> dict:
    """What PackActionInputs + pseudo_collate give for one clip."""
    g = torch.Generator().manual_seed(seed)
    inputs = {}
    if modality != 'audio':
        inputs['imgs'] = [torch.randint(0, 256, (num_snippets, 3, 4, 32, 32), generator=g)]
    if modality != 'video':
        inputs['audios'] = [torch.randn(num_snippets, 1, 32, 32, generator=g)]
    return dict(inputs=inputs, data_samples=[ActionDataSample().set_gt_label(seed % 6)])
