"""Every shipped config resolves to what it resolved to before the configs were built
from named parts: the model, the data (pipelines, loaders, evaluators), the
schedule and the hooks, compared with ``resolved_configs.json``.

After a change meant to alter a config, refresh the record and review its diff:
``python tests/configs/test_resolved_configs.py --update``.
"""

import glob
import json
import os.path as osp
import sys

import pytest
from mmengine.config import Config

REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
RECORD = osp.join(osp.dirname(osp.abspath(__file__)), 'resolved_configs.json')
# what the Runner and the tools read; the named parts (video_train, pack_av ...) are
# only the means of building these
RESOLVED_KEYS = (
    'model', 'train_dataloader', 'val_dataloader', 'test_dataloader', 'val_evaluator',
    'test_evaluator', 'train_cfg', 'val_cfg', 'test_cfg', 'optim_wrapper', 'param_scheduler',
    'auto_scale_lr', 'default_hooks', 'custom_hooks', 'env_cfg', 'log_processor',
    'visualizer', 'log_level', 'load_from', 'resume', 'randomness', 'default_scope',
    'custom_imports', 'data_root', 'ann_file', 'fold', 'num_folds', 'protocol',
)  # fmt: skip


def shipped_configs() -> list[str]:
    """Every runnable config: the files under ``configs/`` outside ``_base_``."""
    paths = glob.glob(osp.join(REPO_ROOT, 'configs', '**', '*.py'), recursive=True)
    return sorted(osp.relpath(p, REPO_ROOT) for p in paths if '_base_' not in p)


def resolve(path: str) -> dict:
    """The resolved keys of one config, as plain JSON-able values."""
    cfg = Config.fromfile(osp.join(REPO_ROOT, path)).to_dict()
    # JSON has no tuples: compare through it on both sides
    return json.loads(json.dumps({k: cfg.get(k) for k in RESOLVED_KEYS}))


def test_the_record_covers_every_shipped_config():
    with open(RECORD) as f:
        assert sorted(json.load(f)) == shipped_configs()


@pytest.mark.parametrize('path', shipped_configs())
def test_config_resolves_as_recorded(path):
    with open(RECORD) as f:
        recorded = json.load(f)[path]
    resolved = resolve(path)
    for key in RESOLVED_KEYS:
        assert resolved[key] == recorded[key], f'{path}: {key} changed'


if __name__ == '__main__' and sys.argv[1:] == ['--update']:
    with open(RECORD, 'w') as f:
        json.dump({p: resolve(p) for p in shipped_configs()}, f, indent=1, sort_keys=True)
        f.write('\n')
