# The tiny audio-visual config with the dataset base's crop put back before its Resize
# (docs/experiments/fusion-heads.md): RandomResizedCrop over 80-100% of the face crop's
# area, aspect ratios 3/4-4/3, then resized square as without it.
_base_ = ['../../../configs/avemo_tiny_ravdess.py']
crop = dict(type='RandomResizedCrop', area_range=(0.8, 1.0))
video_train = [*_base_.video_train[:3], crop, *_base_.video_train[3:]]
train_dataloader = dict(dataset=dict(pipeline=[*video_train, *_base_.audio, _base_.pack_av]))
