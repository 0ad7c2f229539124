# The tiny face-alone config with each decoded frame standardised on its own
# (FrameStandardize: every colour channel to the data preprocessor's mean and std), in
# the training and the test pipelines (docs/experiments/realistic-corpus-learning.md).
_base_ = ['../../../configs/avemo_tiny_ravdess_vs-vc-vt.py']
# imported after _base_: mmengine reads a config that imports first as a lazy-import one
from avemo_mm.utils import insert_after  # noqa: E402

standardize = dict(type='FrameStandardize')


def _after_decode(pipeline):
    return [*insert_after(pipeline, 'DecordDecode', [standardize]), _base_.pack_video]


train_dataloader = dict(dataset=dict(pipeline=_after_decode(_base_.video_train)))
val_dataloader = test_dataloader = dict(dataset=dict(pipeline=_after_decode(_base_.video_test)))
