# The tiny config's visual branch alone (VS + VC + VT): for comparing against fusion.
_base_ = ['./avemo_tiny_ravdess.py']
model = dict(audio_backbone=None, audio_neck=None, cls_head=dict(modality='video'))
sampling = dict(type='SampleSnippets', num_snippets=6, snippet_len=4)
train_pipeline = [
    dict(type='DecordInit'),
    sampling,
    dict(type='DecordDecode'),
    dict(type='RandomResizedCrop', area_range=(0.8, 1.0)),
    dict(type='Resize', scale=(64, 64), keep_ratio=False),
    dict(type='Flip', flip_ratio=0.5),
    dict(type='ColorJitter', brightness=0.2, contrast=0, saturation=0, hue=0),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackActionInputs', collect_keys=('imgs',)),
]
test_pipeline = [
    dict(type='DecordInit'),
    dict(sampling, test_mode=True),
    dict(type='DecordDecode'),
    dict(type='Resize', scale=(64, 64), keep_ratio=False),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackActionInputs', collect_keys=('imgs',)),
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=test_pipeline))
test_dataloader = dict(dataset=dict(pipeline=test_pipeline))
