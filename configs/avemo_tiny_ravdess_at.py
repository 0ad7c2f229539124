# The tiny config's audio branch alone (AT): for comparing against fusion on a CPU.
_base_ = ['./avemo_tiny_ravdess.py']
model = dict(video_backbone=None, video_neck=None, cls_head=dict(modality='audio'))
sampling = dict(type='SampleSnippets', num_snippets=6, snippet_len=4)  # snippet times only
audio_only = [
    sampling,
    dict(type='LoadAudio'),
    dict(type='SnippetLogSpectrogram', num_bins=64),  # as the tiny config
    dict(type='PackActionInputs', collect_keys=('audios',)),
]
test_audio_only = [dict(sampling, test_mode=True), *audio_only[1:]]
train_dataloader = dict(dataset=dict(pipeline=audio_only))
val_dataloader = dict(dataset=dict(pipeline=test_audio_only))
test_dataloader = dict(dataset=dict(pipeline=test_audio_only))
