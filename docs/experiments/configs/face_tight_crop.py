# The tiny face-alone config that sees the face with less of its surroundings: the
# centre 48 px of each 64 px face crop (MMAction2's CenterCrop), resized to 64 as before,
# in the training and the test pipelines (docs/experiments/realistic-corpus-learning.md).
_base_ = ['../../../configs/avemo_tiny_ravdess_vs-vc-vt.py']
# imported after _base_: mmengine reads a config that imports first as a lazy-import one
from avemo_mm.utils import insert_after  # noqa: E402

tight = dict(type='CenterCrop', crop_size=48)


def _after_decode(pipeline):
    return [*insert_after(pipeline, 'DecordDecode', [tight]), _base_.pack_video]


train_dataloader = dict(dataset=dict(pipeline=_after_decode(_base_.video_train)))
val_dataloader = test_dataloader = dict(dataset=dict(pipeline=_after_decode(_base_.video_test)))
