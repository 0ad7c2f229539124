# The tiny config's audio branch alone (AT): for comparing against fusion on a CPU.
_base_ = ['./avemo_tiny_ravdess.py']
model = dict(video_backbone=None, video_neck=None, cls_head=dict(modality='audio'))
pack = dict(type='PackActionInputs', collect_keys=('audios',))
# SampleSnippets places the audio segments (it decodes no frame)
train_pipeline = [_base_.sampling, *_base_.audio, pack]
test_pipeline = [dict(_base_.sampling, test_mode=True), *_base_.audio, pack]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=test_pipeline))
test_dataloader = dict(dataset=dict(pipeline=test_pipeline))
