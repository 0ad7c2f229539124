# The tiny face-alone config with the face's augmentations for recordings in its training
# pipeline (docs/experiments/realistic-corpus-learning.md): on half the clips the light
# drifts over the clip (ClipLightChange), and on half the face is zoomed in or out and
# shifted, drifting too (ClipScaleJitter), both right after the decode.
_base_ = ['../../../configs/avemo_tiny_ravdess_vs-vc-vt.py']
augment = [dict(type='ClipLightChange'), dict(type='ClipScaleJitter')]
decode = [step['type'] for step in _base_.video_train].index('DecordDecode') + 1
train_dataloader = dict(
    dataset=dict(
        pipeline=[
            *_base_.video_train[:decode],
            *augment,
            *_base_.video_train[decode:],
            _base_.pack_video,
        ]
    )
)
