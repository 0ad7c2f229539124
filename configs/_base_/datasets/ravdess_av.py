# RAVDESS, audio-visual speech, prepared by tools/data/prepare_dataset.py; the
# paper's input: 6 snippets x 16 frames at 224 px, 6 one-second spectrograms at 224.
# The pipelines are built from the named parts below, and so is every modality
# ablation's ([*_base_.video_train, _base_.pack_video]); CREMA-D's base inherits them.
data_root = 'data/RAVDESS'
ann_file = 'data/ravdess_prepared/annotations.json'
dataset_type = 'RavdessDataset'
fold = 0
num_folds = 10
protocol = 'paper'  # or a published protocol: README, Protocols
img_size = 224
audio_size = (224, 224)
num_snippets = 6  # N
snippet_len = 16  # k

# --- the parts ---
sampling = dict(type='SampleSnippets', num_snippets=num_snippets, snippet_len=snippet_len)
video_train = [
    dict(type='DecordInit'),
    sampling,
    dict(type='DecordDecode'),
    dict(type='RandomResizedCrop', area_range=(0.8, 1.0)),
    dict(type='Resize', scale=(img_size, img_size), keep_ratio=False),
    dict(type='Flip', flip_ratio=0.5),
    dict(type='ColorJitter', brightness=0.2, contrast=0, saturation=0, hue=0),
    dict(type='FormatShape', input_format='NCTHW'),
]
video_test = [
    dict(type='DecordInit'),
    dict(sampling, test_mode=True),
    dict(type='DecordDecode'),
    dict(type='Resize', scale=(img_size, img_size), keep_ratio=False),
    dict(type='FormatShape', input_format='NCTHW'),
]
audio = [dict(type='LoadAudio'), dict(type='SnippetLogSpectrogram', out_size=audio_size)]
pack_av = dict(type='PackActionInputs', collect_keys=('imgs', 'audios'))
pack_audio = dict(type='PackActionInputs', collect_keys=('audios',))
pack_video = dict(type='PackActionInputs', collect_keys=('imgs',))
# the audio alone: SampleSnippets places the segments (it decodes no frame)
audio_train = [sampling, *audio]
audio_test = [dict(sampling, test_mode=True), *audio]

train_pipeline = [*video_train, *audio, pack_av]
test_pipeline = [*video_test, *audio, pack_av]

dataset = dict(
    type=dataset_type,
    data_root=data_root,
    ann_file=ann_file,
    fold=fold,
    num_folds=num_folds,
    protocol=protocol,
)
train_dataloader = dict(
    batch_size=16,
    num_workers=8,
    # workers restart each epoch, seeded by EpochSeedHook: exact resumes; the restart
    # cost 0.1 s an epoch with 2 workers on the CI machine (README, Reliability)
    persistent_workers=False,
    sampler=dict(type='DefaultSampler', shuffle=True),
    # 4 classes x 4 clips per batch: every anchor of the metric loss has positives; the
    # classes' turns in the corpus' proportions, so the model learns the class prior that
    # the paper's metric (WAR, its "average accuracy") weighs (docs/method.md, "The
    # sampler's class prior")
    batch_sampler=dict(
        type='ClassBalancedBatchSampler', samples_per_class=4, class_prior='corpus'
    ),
    dataset=dict(dataset, split='train', pipeline=train_pipeline),
)
val_dataloader = dict(
    batch_size=16,
    num_workers=8,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(dataset, split='val', pipeline=test_pipeline, test_mode=True),
)
test_dataloader = dict(val_dataloader, dataset=dict(val_dataloader['dataset'], split='test'))
val_evaluator = dict(type='EmotionMetric')
test_evaluator = val_evaluator
