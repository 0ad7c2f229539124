"""input_shapes reads one sample's shapes from a config; count_flops counts a forward."""

import os.path as osp

import torch
from mmengine.config import Config

from avemo_mm.utils.complexity import count_flops, input_shapes

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def test_shapes_follow_each_config_s_pipeline():
    tiny = Config.fromfile(osp.join(REPO, 'configs', 'avemo_tiny_ravdess.py'))
    assert input_shapes(tiny) == dict(imgs=(6, 3, 4, 64, 64), audios=(6, 1, 64, 100))
    audio_only = Config.fromfile(osp.join(REPO, 'configs', 'avemo_tiny_ravdess_at.py'))
    assert input_shapes(audio_only) == dict(audios=(6, 1, 64, 100))
    paper = Config.fromfile(osp.join(REPO, 'configs', 'avemo_ravdess.py'))
    assert input_shapes(paper) == dict(imgs=(6, 3, 16, 224, 224), audios=(6, 1, 224, 224))


class _Recognizer(torch.nn.Module):
    """A recognizer's call convention (inputs, mode='tensor') around one linear layer."""

    def __init__(self):
        super().__init__()
        self.fc = torch.nn.Linear(8, 4)

    def forward(self, inputs, data_samples=None, mode='tensor'):
        return dict(logits=self.fc(inputs['audios']))


def test_a_linear_layer_counts_its_multiply_accumulates():
    macs, params = count_flops(_Recognizer(), dict(audios=torch.zeros(1, 8)))
    assert (macs, params) == (32, 36)
