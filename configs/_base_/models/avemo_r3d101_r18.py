# The paper's model (Sec. 3): Hara et al.'s 3D ResNet-101 over 6 face snippets of 16
# frames at 224 px (output 2048 x 1 x 7 x 7: m = 2048, s = 49), ResNet-18 over 6
# spectrogram segments at 224 x 224, VS + VC + VT and AT with H = 8 and m' = 512, the
# cross-attention fusion head, cross-entropy + the emotion metric loss (lambda = 1).
# Pretrained weights: set video_backbone.pretrained / audio_backbone.pretrained to the
# files you downloaded (r3d101_K_200ep.pth; torchvision's resnet18-f37072fd.pth).
num_classes = 8
model = dict(
    type='AVRecognizer',
    video_backbone=dict(type='HaraResNet3d', depth=101, pretrained=None),
    video_neck=dict(
        type='VisualAttentionNeck',
        in_channels=2048,
        spatial_tokens=49,
        out_channels=512,
        num_heads=8,
        # Decision (docs/method.md): residual connections; residual=False is the
        # paper's letter, through which the face gets ~50x less gradient than the voice
        residual=True,
    ),
    audio_backbone=dict(type='SpectrogramResNet', depth=18, pretrained=None),
    audio_neck=dict(type='AudioAttentionNeck', in_channels=512, out_channels=512, num_heads=8),
    cls_head=dict(
        type='CrossAttentionFusionHead',
        num_classes=num_classes,
        in_channels=512,
        embed_channels=512,
        dropout_ratio=0.5,
        loss_metric=dict(
            type='EmotionMetricLoss', alpha=0.2, beta=0.2, mining='batch_hard', loss_weight=1.0
        ),
    ),
    data_preprocessor=dict(
        type='MultiModalDataPreprocessor',
        preprocessors=dict(
            imgs=dict(
                type='ActionDataPreprocessor',
                # Hara et al.'s Kinetics statistics (RGB in [0, 1]: mean (0.4345,
                # 0.4051, 0.3775), std (0.2768, 0.2713, 0.2737)) on 0-255, RGB order:
                # the input the pretrained 3D ResNets were trained on
                mean=[110.80, 103.30, 96.26],
                std=[70.58, 69.18, 69.79],
                format_shape='NCTHW',
            ),
            audios=dict(type='ActionDataPreprocessor', format_shape='NCHW'),
        ),
    ),
)

# The single-branch ablations of Tables 1-2, as edits of the model above: Sec. 4.3,
# "in all these cases, the traditional triplet loss function is used";
# model.cls_head.loss_metric.type=EmotionMetricLoss for the emotion loss
triplet = dict(_delete_=True, type='TripletLoss')
audio_only = dict(
    video_backbone=None, video_neck=None, cls_head=dict(modality='audio', loss_metric=triplet)
)
video_only = dict(
    audio_backbone=None, audio_neck=None, cls_head=dict(modality='video', loss_metric=triplet)
)
