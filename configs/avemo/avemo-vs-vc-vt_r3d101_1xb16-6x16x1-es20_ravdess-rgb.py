# Tables 1-2, VS-VC-VT: the visual branch alone (3D ResNet-101 + attention), no audio.
_base_ = ['./avemo_r3d101-r18_1xb16-6x16x1-es20_ravdess-av.py']
model = dict(
    audio_backbone=None,
    audio_neck=None,
    cls_head=dict(
        modality='video',
        # Sec. 4.3: every ablation of Tables 1-2 trains with the plain triplet loss;
        # model.cls_head.loss_metric.type=EmotionMetricLoss for the emotion loss
        loss_metric=dict(_delete_=True, type='TripletLoss'),
    ),
    video_neck=dict(use_spatial=True, use_channel=True, use_temporal=True),
)
sampling = dict(type='SampleSnippets', num_snippets=6, snippet_len=16)
train_pipeline = [
    dict(type='DecordInit'),
    sampling,
    dict(type='DecordDecode'),
    dict(type='RandomResizedCrop', area_range=(0.8, 1.0)),
    dict(type='Resize', scale=(224, 224), keep_ratio=False),
    dict(type='Flip', flip_ratio=0.5),
    dict(type='ColorJitter', brightness=0.2, contrast=0, saturation=0, hue=0),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackActionInputs', collect_keys=('imgs',)),
]
test_pipeline = [
    dict(type='DecordInit'),
    dict(sampling, test_mode=True),
    dict(type='DecordDecode'),
    dict(type='Resize', scale=(224, 224), keep_ratio=False),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackActionInputs', collect_keys=('imgs',)),
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=test_pipeline))
test_dataloader = dict(dataset=dict(pipeline=test_pipeline))
