"""A machine with the deployment's packages only (tools/deployment/requirements.txt, the
package with --no-deps): a fresh virtual environment without PyTorch runs the demo on an
exported model and prints PyTorch's prediction (slow: it installs from the package
index, about 30 s and 600 MB)."""

import os.path as osp
import subprocess
import sys

import pytest
import torch
from conftest import REPO_ROOT, TINY_AUDIO_CONFIG, ravdess_clip

from avemo_mm.apis import inference_av, init_model
from avemo_mm.deploy.onnx_export import export_onnx


@pytest.mark.slow
def test_the_deployment_requirements_alone_run_an_exported_model(ravdess_root, tmp_path):
    venv = tmp_path / 'venv'
    python = str(venv / 'bin' / 'python')
    requirements = f'{REPO_ROOT}/tools/deployment/requirements.txt'
    subprocess.run([sys.executable, '-m', 'venv', str(venv)], check=True)
    for args in (['-r', requirements], ['--no-deps', REPO_ROOT]):
        subprocess.run([python, '-m', 'pip', 'install', '-q', *args], check=True, timeout=900)
    probe = subprocess.run([python, '-c', 'import torch'], capture_output=True, text=True)
    assert "No module named 'torch'" in probe.stderr
    torch.manual_seed(0)
    model = init_model(TINY_AUDIO_CONFIG)
    with torch.no_grad():
        model.cls_head.fc_cls.weight.mul_(40)  # decisive scores
    onnx = export_onnx(model, str(tmp_path), 'voice')
    clip = ravdess_clip(ravdess_root)
    run = subprocess.run(
        [python, osp.join(REPO_ROOT, 'tools', 'demo.py'), clip, '--onnx', onnx],
        capture_output=True, text=True, cwd=str(tmp_path), timeout=300,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    expected = inference_av(model, clip).clip
    top = ', '.join(f'{n} {p:.1%}' for n, p in expected.top(3))
    assert f'top emotions: {top}' in run.stdout
