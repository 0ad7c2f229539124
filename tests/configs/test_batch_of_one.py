"""Every shipped audio-visual model trains on one clip a step (a batch of one per process).

Built from each config (one of each RAVDESS / CREMA-D pair; the paper configs at 4
frames of 32 px and 32 x 32 spectrograms, their architecture unchanged), two optimiser
steps on a single clip, in one process and in two (gloo, mmengine's DDP wrapper).
"""

import glob
import json
import math
import os
import os.path as osp
import subprocess
import sys

import pytest
import torch
from conftest import REPO_ROOT
from mmengine.config import Config
from mmengine.optim import OptimWrapper
from one_clip import one_clip, prepared_model

import avemo_mm  # noqa: F401


def _architectures() -> list[str]:
    """One config per distinct audio-visual model (RAVDESS and CREMA-D twins differ in
    the number of classes only, which a batch of one does not touch)."""
    kept = {}
    for path in sorted(glob.glob(f'{REPO_ROOT}/configs/**/*.py', recursive=True)):
        model = Config.fromfile(path).model if '_base_' not in path else None
        if model is None or model.type != 'AVRecognizer':
            continue
        model = model.to_dict()
        model['cls_head'].pop('num_classes', None)
        kept.setdefault(json.dumps(model, sort_keys=True, default=str), path)
    return list(kept.values())


ARCHITECTURES = _architectures()


def _name(path: str) -> str:
    return path[len(REPO_ROOT) + 1 :]


@pytest.mark.parametrize('path', ARCHITECTURES, ids=_name)
def test_a_batch_of_one_clip_trains(path):
    torch.manual_seed(0)
    model = prepared_model(Config.fromfile(path))
    head = model.cls_head
    optim = OptimWrapper(torch.optim.SGD(model.parameters(), lr=1e-3))
    before = head.fc_cls.weight.detach().clone()
    for step in range(2):
        losses = model.train_step(one_clip(head.num_snippets, head.modality, step), optim)
        assert all(math.isfinite(v.item()) for v in losses.values()), losses
        if head.loss_metric is not None:  # one clip: no pair, nothing added
            assert losses['loss_metric'].item() == 0.0
    assert not torch.equal(head.fc_cls.weight, before)


# two processes, one clip each; both end with the same weights
_DDP_SCRIPT = """
import sys
import torch
import torch.distributed as dist
from mmengine.config import Config
from mmengine.model import MMDistributedDataParallel
from mmengine.optim import OptimWrapper
sys.path.insert(0, sys.argv[2])
from one_clip import one_clip, prepared_model
dist.init_process_group('gloo')
rank = dist.get_rank()
torch.manual_seed(0)
model = prepared_model(Config.fromfile(sys.argv[1]))
head = model.cls_head
ddp = MMDistributedDataParallel(model)
optim = OptimWrapper(torch.optim.SGD(model.parameters(), lr=1e-3))
for step in range(2):
    clip = one_clip(head.num_snippets, head.modality, 2 * step + rank)
    losses = ddp.train_step(clip, optim)
    assert all(torch.isfinite(v) for v in losses.values()), losses
weights = head.fc_cls.weight.detach().contiguous()
gathered = [torch.empty_like(weights) for _ in range(2)]
dist.all_gather(gathered, weights)
assert torch.equal(gathered[0], gathered[1])
print(f'rank {rank} OK', flush=True)
from avemo_mm.compat import exit_distributed
exit_distributed()  # as the tools end: no abort in gloo's teardown
"""


def _two_processes(path: str, tmp_path) -> None:
    script = tmp_path / 'ddp_batch_of_one.py'
    script.write_text(_DDP_SCRIPT)
    proc = subprocess.run(
        [sys.executable, '-m', 'torch.distributed.run', '--standalone',  # a free port
         '--nproc_per_node', '2', str(script), path, osp.dirname(osp.abspath(__file__))],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=900,
        env=dict(os.environ, OMP_NUM_THREADS='1'),
    )  # fmt: skip
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0 and 'rank 0 OK' in out and 'rank 1 OK' in out, out[-3000:]


@pytest.mark.slow  # 20-60 s each; the default suite has tools/dist_train.sh with a last
# batch of one clip a process (tests/tools/test_avemo_tiny_config.py)
@pytest.mark.parametrize('path', ARCHITECTURES, ids=_name)
def test_a_batch_of_one_clip_a_process_trains_on_two_processes(path, tmp_path):
    _two_processes(path, tmp_path)
