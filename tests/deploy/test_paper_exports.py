"""The paper configs and their ablations export, and ONNX Runtime gives PyTorch's
answers (slow: minutes and several GiB each; the benchmark checks the paper's main
config too, docs/experiments/onnx-speed.md)."""

import glob
import os.path as osp

import pytest
import torch
from conftest import REPO_ROOT

from avemo_mm.apis import init_model
from avemo_mm.deploy.onnx_export import compare_with_torch, export_onnx

PAPER_CONFIGS = sorted(
    [f'{REPO_ROOT}/configs/avemo_ravdess.py', f'{REPO_ROOT}/configs/avemo_cremad.py']
    + glob.glob(f'{REPO_ROOT}/configs/avemo/*.py')
)


@pytest.mark.slow
@pytest.mark.parametrize('config', PAPER_CONFIGS, ids=osp.basename)
def test_a_paper_config_exports_and_gives_the_same_answers(config, tmp_path):
    torch.manual_seed(0)
    model = init_model(config)
    path = export_onnx(model, str(tmp_path), 'paper')
    assert compare_with_torch(model, path, atol=1e-4) < 1e-4
