# The tiny config's visual branch alone (VS + VC + VT): for comparing against fusion.
_base_ = ['./avemo_tiny_ravdess.py']
model = dict(audio_backbone=None, audio_neck=None, cls_head=dict(modality='video'))
pack = dict(type='PackActionInputs', collect_keys=('imgs',))
train_pipeline = [*_base_.video_train, pack]
test_pipeline = [*_base_.video_test, pack]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=test_pipeline))
test_dataloader = dict(dataset=dict(pipeline=test_pipeline))
