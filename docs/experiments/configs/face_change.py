# The tiny face-alone config with each sampled frame replaced by its change from the
# clip's mean frame (ClipChange, after the augmentations in training and after the resize
# in the test pipeline) (docs/experiments/realistic-corpus-learning.md).
_base_ = ['../../../configs/avemo_tiny_ravdess_vs-vc-vt.py']
# imported after _base_: mmengine reads a config that imports first as a lazy-import one
from avemo_mm.utils import insert_after  # noqa: E402

change = dict(type='ClipChange')
train_dataloader = dict(
    dataset=dict(
        pipeline=[*insert_after(_base_.video_train, 'ColorJitter', [change]), _base_.pack_video]
    )
)
val_dataloader = test_dataloader = dict(
    dataset=dict(
        pipeline=[*insert_after(_base_.video_test, 'Resize', [change]), _base_.pack_video]
    )
)
