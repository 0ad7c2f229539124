# MMAction2's runtime plus what every avemo-mm config needs.
_base_ = ['mmaction::_base_/default_runtime.py']

custom_imports = dict(imports=['avemo_mm'], allow_failed_imports=False)
default_scope = 'mmaction'
# custom_hooks (DatasetMetaHook, early stopping) live in the schedule: mmengine allows a
# key in one base only
# of epochs tied at the best validation WAR, keep the latest (mmengine's 'greater'
# keeps the first, the least trained: docs/method.md)
default_hooks = dict(
    checkpoint=dict(
        type='LatestBestCheckpointHook',
        interval=1,
        max_keep_ckpts=3,
        save_best='WAR',
        rule='greater_or_equal',
    )
)
