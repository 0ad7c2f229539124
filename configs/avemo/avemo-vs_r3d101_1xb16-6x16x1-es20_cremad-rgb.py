# Tables 1-2, VS: the visual branch alone (3D ResNet-101 + attention), no audio.
_base_ = ['./avemo_r3d101-r18_1xb16-6x16x1-es20_cremad-av.py']
model = dict(
    _base_.video_only, video_neck=dict(use_spatial=True, use_channel=False, use_temporal=False)
)
train_dataloader = dict(dataset=dict(pipeline=[*_base_.video_train, _base_.pack_video]))
val_dataloader = test_dataloader = dict(
    dataset=dict(pipeline=[*_base_.video_test, _base_.pack_video])
)
