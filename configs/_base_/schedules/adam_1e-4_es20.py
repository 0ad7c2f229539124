# The paper's training (Sec. 4.2): Adam, lr 1e-4, betas (0.9, 0.999), batch 16; early
# stopping after 20 epochs without a better validation accuracy.
optim_wrapper = dict(optimizer=dict(type='Adam', lr=1e-4, betas=(0.9, 0.999)))
param_scheduler = []
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=200, val_begin=1, val_interval=1)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
# the hooks every run needs (the tiny configs take these alone) ...
run_hooks = [
    dict(type='DatasetMetaHook'),  # classes and polarities from the dataset to the model
    dict(type='CheckpointShapeCheckHook'),  # a checkpoint of another config is an error
    dict(type='EpochSeedHook'),  # per-epoch seeds: a resumed run repeats the uninterrupted one
    dict(type='ValidateOnResumeHook'),  # epoch_e.pth is saved before epoch e's validation
    dict(
        type='ResumableEarlyStoppingHook',
        monitor='WAR',
        rule='greater',
        min_delta=0.0,
        patience=20,
    ),
]
# ... and the paper fine-tunes these; a warning names any that is not set
pretrained_weights_hook = dict(
    type='PretrainedWeightsHook',
    weights=dict(
        video_backbone='r3d101_K_200ep.pth (Hara et al., 3D-ResNets-PyTorch, Kinetics)',
        audio_backbone='resnet18-f37072fd.pth (torchvision, ImageNet)',
    ),
)
custom_hooks = [*run_hooks, pretrained_weights_hook]
auto_scale_lr = dict(enable=False, base_batch_size=16)
