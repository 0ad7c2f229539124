# The tiny config's audio branch alone (AT): for comparing against fusion on a CPU.
_base_ = ['./avemo_tiny_ravdess.py']
model = dict(video_backbone=None, video_neck=None, cls_head=dict(modality='audio'))
train_dataloader = dict(dataset=dict(pipeline=[*_base_.audio_train, _base_.pack_audio]))
val_dataloader = test_dataloader = dict(
    dataset=dict(pipeline=[*_base_.audio_test, _base_.pack_audio])
)
