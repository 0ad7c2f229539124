# Tables 1-2, AT: the audio branch alone (ResNet-18 + temporal attention).
_base_ = ['./avemo_r3d101-r18_1xb16-6x16x1-es20_ravdess-av.py']
model = dict(
    video_backbone=None,
    video_neck=None,
    cls_head=dict(
        modality='audio',
        # Sec. 4.3: every ablation of Tables 1-2 trains with the plain triplet loss;
        # model.cls_head.loss_metric.type=EmotionMetricLoss for the emotion loss
        loss_metric=dict(_delete_=True, type='TripletLoss'),
    ),
)
audio_only = [
    dict(type='SampleSnippets', num_snippets=6, snippet_len=16),  # snippet times
    dict(type='LoadAudio'),
    dict(type='SnippetLogSpectrogram', out_size=(224, 224)),
    dict(type='PackActionInputs', collect_keys=('audios',)),
]
test_audio_only = [dict(audio_only[0], test_mode=True), *audio_only[1:]]
train_dataloader = dict(dataset=dict(pipeline=audio_only))
val_dataloader = dict(dataset=dict(pipeline=test_audio_only))
test_dataloader = dict(dataset=dict(pipeline=test_audio_only))
