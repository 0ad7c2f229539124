# The tiny config's visual branch alone (VS + VC + VT): for comparing against fusion.
_base_ = ['./avemo_tiny_ravdess.py']
model = dict(audio_backbone=None, audio_neck=None, cls_head=dict(modality='video'))
train_dataloader = dict(dataset=dict(pipeline=[*_base_.video_train, _base_.pack_video]))
val_dataloader = test_dataloader = dict(
    dataset=dict(pipeline=[*_base_.video_test, _base_.pack_video])
)
