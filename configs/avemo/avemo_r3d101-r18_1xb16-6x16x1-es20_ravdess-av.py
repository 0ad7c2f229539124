# The paper's full setting on ravdess: AT + VS + VC + VT, emotion metric loss.
_base_ = [
    '../_base_/models/avemo_r3d101_r18.py',
    '../_base_/datasets/ravdess_av.py',
    '../_base_/schedules/adam_1e-4_es20.py',
    '../_base_/default_runtime.py',
]
model = dict(cls_head=dict(num_classes=8, num_snippets=_base_.num_snippets))
