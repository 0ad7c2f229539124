"""AVRecognizer with MMAction2 backbones: the three modes, ablations, training steps."""

import pytest
import torch
from mmaction.registry import MODELS
from mmaction.structures import ActionDataSample
from mmengine.optim import OptimWrapper
from mmengine.registry import init_default_scope

import avemo_mm  # noqa: F401

init_default_scope('mmaction')  # as configs do: nested modules resolve in mmaction

POLARITIES = ('neutral', 'positive', 'positive', 'negative')


def tiny_cfg(modality='audio-visual', video_backbone=None, video_neck=None):
    return dict(
        type='AVRecognizer',
        video_backbone=video_backbone
        or dict(
            type='ResNet3d',
            depth=18,
            pretrained=None,
            pretrained2d=False,
            base_channels=4,
            conv1_stride_t=1,
            pool1_stride_t=1,
            inflate=(1, 1, 1, 1),
        ),
        video_neck=video_neck
        or dict(
            type='VisualAttentionNeck',
            in_channels=32,
            spatial_tokens=4,
            out_channels=16,
            num_heads=4,
        ),
        audio_backbone=dict(type='ResNet', depth=18, in_channels=1, pretrained=None),
        audio_neck=dict(type='AudioAttentionNeck', in_channels=512, out_channels=16, num_heads=4),
        cls_head=dict(
            type='CrossAttentionFusionHead',
            num_classes=4,
            in_channels=16,
            num_snippets=3,
            embed_channels=8,
            modality=modality,
            loss_metric=dict(type='EmotionMetricLoss', polarities=POLARITIES),
        ),
        data_preprocessor=dict(
            type='MultiModalDataPreprocessor',
            preprocessors=dict(
                imgs=dict(
                    type='ActionDataPreprocessor',
                    mean=[128] * 3,
                    std=[64] * 3,
                    format_shape='NCTHW',
                ),
                audios=dict(type='ActionDataPreprocessor', format_shape='NCHW'),
            ),
        ),
    )


def batch(size=4, seed=0):
    """What PackActionInputs + pseudo_collate give: lists of per-sample tensors."""
    g = torch.Generator().manual_seed(seed)
    labels = [i % 4 for i in range(size)]
    imgs = [torch.randint(0, 255, (3, 3, 2, 64, 64), generator=g).to(torch.uint8) for _ in labels]
    # each class brightens the frames and shifts the spectrogram: learnable
    imgs = [
        (x.float() * 0.3 + 40 * y).clamp(0, 255).to(torch.uint8)
        for x, y in zip(imgs, labels, strict=True)
    ]
    audios = [torch.randn(3, 1, 16, 16, generator=g) + y for y in labels]
    samples = [ActionDataSample().set_gt_label(y) for y in labels]
    return dict(inputs=dict(imgs=imgs, audios=audios), data_samples=samples)


def test_three_modes_and_shapes():
    model = MODELS.build(tiny_cfg())
    data = model.data_preprocessor(batch(), training=False)
    assert data['inputs']['imgs'].shape == (4, 3, 3, 2, 64, 64)
    assert data['inputs']['audios'].shape == (4, 3, 1, 16, 16)
    out = model(**data, mode='tensor')
    assert out['logits'].shape == (4, 4) and out['embedding'].shape == (4, 8)
    assert out['w_audio'].shape == (4, 3, 3)
    losses = model(**data, mode='loss')
    assert {'loss_cls', 'loss_metric', 'top1_acc'} <= set(losses)
    predictions = model(**data, mode='predict')
    assert predictions[0].pred_score.shape == (4,) and predictions[0].embedding.shape == (8,)
    audio, video, attention = model.extract_feat(data['inputs'], return_attention=True)
    assert audio.shape == video.shape == (4, 3, 16)
    assert set(attention) == {'video_spatial', 'video_channel', 'video_temporal', 'audio_temporal'}


def test_tiny_recognizer_loss_falls():
    torch.manual_seed(0)
    cfg = tiny_cfg()
    cfg['cls_head']['dropout_ratio'] = 0.0
    model = MODELS.build(cfg)
    model.init_weights()
    optim = OptimWrapper(torch.optim.Adam(model.parameters(), lr=1e-3))
    data = batch(8)
    history = [model.train_step(data, optim) for _ in range(15)]
    # measured: loss_cls 1.67 -> 0.66, loss_metric 0.40 -> 0.0 in 15 steps
    assert history[-1]['loss_cls'].item() < 0.6 * history[0]['loss_cls'].item()
    assert history[-1]['loss_metric'].item() < 0.5 * history[0]['loss_metric'].item()


@pytest.mark.parametrize('modality', ['audio', 'video'])
def test_unimodal_ablations_build_one_branch(modality):
    model = MODELS.build(tiny_cfg(modality=modality))
    assert (model.video_backbone is None) == (modality == 'audio')
    assert (model.audio_backbone is None) == (modality == 'video')
    data = batch()
    if modality == 'audio':
        del data['inputs']['imgs']  # an audio-only pipeline packs no frames
        data['inputs'] = dict(audios=data['inputs']['audios'])
    out = model.test_step(data) if modality == 'video' else None
    losses = model(**model.data_preprocessor(data, True), mode='loss')
    assert torch.isfinite(losses['loss_cls'])
    assert out is None or out[0].pred_score.shape == (4,)


def test_stock_mmaction2_backbone_swapped_in_by_config():
    """X3D instead of ResNet3d, by config alone: one training step."""
    cfg = tiny_cfg(
        video_backbone=dict(
            type='X3D',
            gamma_w=0.5,
            gamma_b=1.0,
            gamma_d=0.5,
            num_stages=2,
            spatial_strides=(2, 2),
            se_style='all',
        ),
        video_neck=dict(
            type='VisualAttentionNeck',
            in_channels=32,
            spatial_tokens=64,
            out_channels=16,
            num_heads=4,
        ),
    )
    model = MODELS.build(cfg)
    optim = OptimWrapper(torch.optim.SGD(model.parameters(), lr=0.01))
    losses = model.train_step(batch(), optim)
    assert torch.isfinite(losses['loss'])


def test_dataset_meta_sets_polarities_and_checks_classes():
    cfg = tiny_cfg()
    cfg['cls_head']['loss_metric'] = dict(type='EmotionMetricLoss')  # no polarities yet
    model = MODELS.build(cfg)
    model.set_dataset_meta(dict(classes=('n', 'c', 'h', 's'), polarities=POLARITIES))
    assert model.cls_head.loss_metric.class_signs.tolist() == [0, 1, 1, -1]
    with pytest.raises(ValueError, match='the dataset has 8 classes'):
        model.set_dataset_meta(dict(classes=tuple('abcdefgh'), polarities=('neutral',) * 8))
    with pytest.raises(ValueError, match='needs audio_backbone and audio_neck'):
        MODELS.build(dict(cfg, audio_backbone=None))


def test_mmaction2_resnet_audio_as_the_audio_backbone():
    """MMAction2's ResNetAudio in place of ResNet-18, by config alone: one training step."""
    cfg = tiny_cfg()
    cfg['audio_backbone'] = dict(type='ResNetAudio', depth=50, pretrained=None, in_channels=1)
    cfg['audio_neck'] = dict(
        type='AudioAttentionNeck', in_channels=1024, out_channels=16, num_heads=4
    )
    model = MODELS.build(cfg)
    optim = OptimWrapper(torch.optim.SGD(model.parameters(), lr=0.01))
    losses = model.train_step(batch(), optim)
    assert torch.isfinite(losses['loss'])


@pytest.mark.parametrize('dropped, kept', [('audios', 'imgs'), ('imgs', 'audios')])
def test_test_cfg_runs_a_both_modality_model_on_one(dropped, kept):
    """With test_cfg.modality the other input is ignored: zeros, i.e. silence / a blank face."""
    torch.manual_seed(0)
    keep = 'video' if kept == 'imgs' else 'audio'
    model = MODELS.build(dict(tiny_cfg(), test_cfg=dict(modality=keep))).eval()
    both = MODELS.build(tiny_cfg()).eval()
    both.load_state_dict(model.state_dict())
    data = model.data_preprocessor(batch(), training=False)
    changed = dict(data['inputs'], **{dropped: torch.randn_like(data['inputs'][dropped])})
    with torch.no_grad():
        one = model(data['inputs'], mode='tensor')['logits']
        assert torch.allclose(one, model(changed, mode='tensor')['logits'])
        zeroed = dict(data['inputs'], **{dropped: torch.zeros_like(data['inputs'][dropped])})
        assert torch.allclose(one, both(zeroed, mode='tensor')['logits'])
        assert not torch.allclose(one, both(data['inputs'], mode='tensor')['logits'])
    # training ignores test_cfg: the loss still sees both inputs
    model.train()
    assert 'loss_metric' in model(**model.data_preprocessor(batch(), True), mode='loss')


def test_test_cfg_modality_is_checked():
    with pytest.raises(ValueError, match='test_cfg.modality must be one of'):
        MODELS.build(dict(tiny_cfg(), test_cfg=dict(modality='rgb')))
    with pytest.raises(ValueError, match='needs the video branch, but this model is audio-only'):
        MODELS.build(dict(tiny_cfg('audio'), test_cfg=dict(modality='video')))


def test_modality_dropout_zeroes_one_input_per_clip_in_training_only():
    torch.manual_seed(0)
    model = MODELS.build(dict(tiny_cfg(), train_cfg=dict(modality_dropout=0.5)))
    inputs = model.data_preprocessor(batch(size=64), training=True)['inputs']
    inputs = dict(inputs, imgs=inputs['imgs'] + 10, audios=inputs['audios'] + 10)  # no zeros
    dropped = model.drop_modalities(inputs)
    audio_gone = (dropped['audios'].flatten(1) == 0).all(dim=1)
    video_gone = (dropped['imgs'].flatten(1) == 0).all(dim=1)
    assert not (audio_gone & video_gone).any()  # never both
    assert 16 < int(audio_gone.sum()) < 48 and 16 < int(video_gone.sum()) < 48  # p = 0.5 each
    kept = ~(audio_gone | video_gone)
    assert torch.equal(dropped['imgs'][kept], inputs['imgs'][kept]) or not kept.any()
    model.eval()
    assert model.drop_modalities(inputs) is inputs
    with pytest.raises(ValueError, match=r'modality_dropout must lie in \[0, 0.5\]'):
        MODELS.build(dict(tiny_cfg(), train_cfg=dict(modality_dropout=0.7)))
