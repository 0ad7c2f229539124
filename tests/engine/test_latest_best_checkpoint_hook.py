"""LatestBestCheckpointHook: of epochs tied at the best score, the latest is kept."""

import glob
import os.path as osp

import pytest
import torch
from mmengine.evaluator import BaseMetric
from mmengine.model import BaseModel
from mmengine.runner import Runner
from torch.utils.data import TensorDataset

from avemo_mm.engine import LatestBestCheckpointHook

# the validation WAR of epochs 1-4: epochs 2 and 3 tie at the best
SCORES = [50.0, 70.0, 70.0, 60.0]


class _Model(BaseModel):
    def __init__(self):
        super().__init__()
        self.weight = torch.nn.Parameter(torch.zeros(1))

    def forward(self, inputs, mode='tensor'):
        if mode == 'loss':
            return dict(loss=(self.weight - 1).pow(2).sum())
        return [inputs]


class _ScriptedWAR(BaseMetric):
    """Returns the next of SCORES at each validation."""

    def __init__(self):
        super().__init__()
        self.epoch = 0

    def process(self, data_batch, data_samples):
        self.results.append(0)

    def compute_metrics(self, results):
        self.epoch += 1
        return dict(WAR=SCORES[self.epoch - 1])


def _best_epoch(work_dir, rule):
    loader = dict(
        dataset=TensorDataset(torch.zeros(2, 1)),
        sampler=dict(type='DefaultSampler', shuffle=False),
        batch_size=2,
        collate_fn=dict(type='default_collate'),
    )
    runner = Runner(
        model=_Model(),
        work_dir=str(work_dir),
        train_dataloader=loader,
        val_dataloader=loader,
        val_evaluator=[_ScriptedWAR()],
        train_cfg=dict(by_epoch=True, max_epochs=len(SCORES)),
        val_cfg=dict(),
        optim_wrapper=dict(optimizer=dict(type='SGD', lr=0.1)),
        default_hooks=dict(
            checkpoint=dict(type=LatestBestCheckpointHook, interval=1, save_best='WAR', rule=rule),
            logger=dict(type='LoggerHook', interval=1),
        ),
        default_scope='mmaction',
        experiment_name=f'best_{rule}',
    )
    runner.train()
    (best,) = glob.glob(osp.join(work_dir, 'best_WAR_epoch_*.pth'))
    return int(best.rsplit('_', 1)[1].split('.')[0])


@pytest.mark.parametrize('rule, epoch', [('greater', 2), ('greater_or_equal', 3)])
def test_a_tie_keeps_the_first_or_the_latest_epoch(tmp_path, rule, epoch):
    assert _best_epoch(tmp_path / rule, rule) == epoch
