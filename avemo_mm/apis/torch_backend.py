"""A PyTorch model behind the inference API: the config's own test pipeline, then
``test_step``."""

from __future__ import annotations

import copy

import numpy as np
import torch
from mmengine.dataset import Compose, pseudo_collate

from ..datasets.transforms import CachedDecordInit, LoadAudio
from .backend import InferenceBackend
from .pipeline_inspection import face_size, snippet_len


class TorchBackend(InferenceBackend):
    """Runs a model from :func:`~avemo_mm.apis.init_model` (it keeps ``model.cfg``)."""

    def __init__(self, model: torch.nn.Module) -> None:
        self.model = model
        self.pipeline = inference_pipeline(model)
        self.classes = tuple(model.dataset_meta['classes'])
        self.modality = model.cls_head.modality
        self.face_size = face_size(self.pipeline)
        self.snippet_len = snippet_len(self.pipeline)

    def prepare(self, inputs: dict) -> dict:
        return self.pipeline(inputs)

    def predict(self, batch: list[dict], modality: str) -> list[tuple[np.ndarray, np.ndarray]]:
        """Scores ``[K]`` and embeddings ``[E]`` for a list of pipeline outputs."""
        model = self.model
        previous = getattr(model, 'test_modality', None)
        if previous is not None and self.modality == 'audio-visual':
            model.test_modality = modality
        try:
            with torch.no_grad():
                samples = model.test_step(pseudo_collate(batch))
        finally:
            if previous is not None:
                model.test_modality = previous
        return [
            (s.pred_score.float().cpu().numpy(), s.embedding.float().cpu().numpy())
            for s in samples
        ]


def inference_pipeline(model: torch.nn.Module) -> Compose:
    """The model's test pipeline for inference: a missing voice is silence (the model
    zeroes it anyway), and no clip is kept in memory (files are written per video or
    window and never read twice), so ``CachedDecordInit`` reads as ``DecordInit``."""
    steps = copy.deepcopy(model.cfg.test_dataloader.dataset.pipeline)
    for step in steps:
        if step.get('type') in ('CachedDecordInit', CachedDecordInit):
            step.pop('max_megabytes', None)
            step['type'] = 'DecordInit'
    pipeline = Compose(steps)
    for transform in pipeline.transforms:
        if isinstance(transform, LoadAudio):
            transform.missing = 'silence'
    return pipeline
