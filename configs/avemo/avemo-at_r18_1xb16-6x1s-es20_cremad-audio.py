# Tables 1-2, AT: the audio branch alone (ResNet-18 + temporal attention).
_base_ = ['./avemo_r3d101-r18_1xb16-6x16x1-es20_cremad-av.py']
model = _base_.audio_only
train_dataloader = dict(dataset=dict(pipeline=[*_base_.audio_train, _base_.pack_audio]))
val_dataloader = test_dataloader = dict(
    dataset=dict(pipeline=[*_base_.audio_test, _base_.pack_audio])
)
