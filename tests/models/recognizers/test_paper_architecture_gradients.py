"""The paper configs' model gives the face a share of the gradient from the first step.

Built from ``configs/avemo_ravdess.py`` (Hara's 3D ResNet-101, VS/VC/VT, ResNet-18,
AT, the fusion head) at a small input (4 frames at 64 px, 64 x 64 spectrograms), on
random clips, at initialisation: the cross-entropy gradient at each backbone's
output, and how much D^VT varies from clip to clip.
"""

import torch
from conftest import REPO_ROOT
from mmaction.registry import MODELS
from mmengine.config import Config
from mmengine.registry import init_default_scope

import avemo_mm  # noqa: F401


def _measure(**changes) -> dict[str, float]:
    cfg = Config.fromfile(f'{REPO_ROOT}/configs/avemo_ravdess.py')
    cfg.model.video_neck.spatial_tokens = 4  # 64 px: a 2 x 2 feature map
    for key, value in changes.items():
        part, name = key.split('.')
        cfg.model[part][name] = value
    init_default_scope('mmaction')
    torch.manual_seed(0)
    model = MODELS.build(cfg.model)
    model.init_weights()
    outputs = {}
    for name in ('video_backbone', 'audio_backbone'):
        getattr(model, name).register_forward_hook(
            lambda module, args, out, name=name: outputs.__setitem__(name, out)
        )
    inputs = dict(imgs=torch.randn(2, 6, 3, 4, 64, 64), audios=torch.randn(2, 6, 1, 64, 64))
    audio, video, _ = model.extract_feat(inputs)
    for out in outputs.values():
        out.retain_grad()
    logits = model.cls_head(audio, video)['logits']
    torch.nn.functional.cross_entropy(logits, torch.tensor([0, 5])).backward()
    grad = {k: v.grad.abs().mean().item() for k, v in outputs.items()}
    return dict(
        gradient_ratio=grad['video_backbone'] / grad['audio_backbone'],
        video_spread=video.std(dim=0).mean().item(),  # D^VT across the 2 clips
        audio_spread=audio.std(dim=0).mean().item(),
    )


def test_the_paper_config_trains_both_branches_from_the_first_step():
    m = _measure()
    assert 0.1 < m['gradient_ratio'] < 10, m
    assert m['video_spread'] > 0.3 * m['audio_spread'], m


def test_the_papers_literal_form_starves_the_face():
    """The check above can fail: with the paper's letter (no residual connections in
    VS/VC/VT, no normalisation before the fusion) D^VT hardly varies between clips."""
    m = _measure(**{'video_neck.residual': False, 'cls_head.input_norm': False})
    assert m['video_spread'] < 0.3 * m['audio_spread'] or m['gradient_ratio'] < 0.1, m
