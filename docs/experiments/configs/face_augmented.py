# The tiny face-alone config with the face's augmentations for recordings in its training
# pipeline (docs/experiments/realistic-corpus-learning.md): on half the clips the light
# drifts over the clip (ClipLightChange), and on half the face is zoomed in or out and
# shifted, drifting too (ClipScaleJitter), both right after the decode.
_base_ = ['../../../configs/avemo_tiny_ravdess_vs-vc-vt.py']
# imported after _base_: mmengine reads a config that imports first as a lazy-import one
from avemo_mm.utils import insert_after  # noqa: E402

augment = [dict(type='ClipLightChange'), dict(type='ClipScaleJitter')]
train_dataloader = dict(
    dataset=dict(
        pipeline=[*insert_after(_base_.video_train, 'DecordDecode', augment), _base_.pack_video]
    )
)
