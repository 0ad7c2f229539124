"""The exported model on a user's video where PyTorch is not installed: the demo (one
face, every face, live) in a process that cannot import torch, against PyTorch."""

import json
import os.path as osp

import numpy as np
import pytest
from conftest import REPO_ROOT, TINY_CONFIG, assert_ok, ravdess_clip, run_tool

from avemo_mm.apis import inference_all_faces, inference_av, init_model, stream_predictions
from avemo_mm.deploy.onnx_export import export_onnx

WITHOUT_TORCH = osp.join(REPO_ROOT, 'tests', 'deploy', 'without_torch.py')


def run_without_torch(*args: str) -> str:
    """``args`` (a script and its arguments) where importing torch fails; the output."""
    return assert_ok(run_tool([WITHOUT_TORCH, *args], REPO_ROOT))


@pytest.fixture(scope='module')
def deployed(tiny_avemo, tmp_path_factory):
    """The trained tiny checkpoint, as PyTorch runs it and exported."""
    out = tmp_path_factory.mktemp('deployed')
    model = init_model(TINY_CONFIG, tiny_avemo['checkpoint'])
    onnx = export_onnx(model, str(out), 'tiny', checkpoint=tiny_avemo['checkpoint'])
    return dict(model=model, onnx=onnx, out=out)


def test_torch_cannot_be_imported_there(tmp_path):
    script = tmp_path / 'probe.py'
    script.write_text(
        'import avemo_mm, avemo_mm.apis, avemo_mm.deploy\n'
        'print("training stack:", avemo_mm.TRAINING)\n'
        'try:\n    import torch\nexcept ModuleNotFoundError as err:\n    print("no", err.name)\n'
    )
    out = run_without_torch(str(script))
    assert 'training stack: False' in out and 'no torch' in out


def test_the_demo_runs_the_exported_model_as_pytorch_runs_the_checkpoint(
    deployed, ravdess_root, tmp_path
):
    clip = ravdess_clip(ravdess_root)
    timeline = str(tmp_path / 'timeline.json')
    out = run_without_torch(
        'tools/demo.py', clip, '--onnx', deployed['onnx'], '--window', '1', '--timeline', timeline
    )
    expected = inference_av(deployed['model'], clip, window=1.0)
    assert f'top emotions: {expected.clip.label} ' in out
    rows = json.load(open(timeline))
    assert len(rows) == len(expected.timeline) >= 2
    for row, window in zip(rows, expected.timeline, strict=True):
        scores = np.array([row[name] for name in window.classes])
        assert row['label'] == window.label and np.abs(scores - window.scores).max() < 1e-4


def test_every_face_and_the_live_mode_without_pytorch(deployed, ravdess_root, tmp_path):
    clip = ravdess_clip(ravdess_root)
    faces_dir, live_dir = tmp_path / 'faces', tmp_path / 'live'
    run_without_torch(
        'tools/demo.py', clip, '--onnx', deployed['onnx'], '--all-faces', '--window', '1',
        '--out-dir', str(faces_dir),
    )  # fmt: skip
    expected = inference_all_faces(deployed['model'], clip, window=1.0)
    tracks = json.load(open(faces_dir / 'tracks.json'))['tracks']
    assert [t['id'] for t in tracks] == [f.id for f in expected] and expected
    for track, face in zip(tracks, expected, strict=True):
        for got, want in zip(track['windows'], face.windows, strict=True):
            assert got['label'] == want.label and got['modality'] == want.modality
            assert np.abs(np.array(got['scores']) - want.scores).max() < 1e-4
    run_without_torch(
        'tools/demo.py', clip, '--onnx', deployed['onnx'], '--stream', '--every-window',
        '--window', '2', '--hop', '0.5', '--out-dir', str(live_dir),
    )  # fmt: skip
    lines = [json.loads(line) for line in open(live_dir / 'live.jsonl')]
    windows = list(stream_predictions(deployed['model'], clip, 2.0, 0.5, live=False))
    assert len(lines) == len(windows) >= 2
    for line, window in zip(lines, windows, strict=True):
        assert [f['id'] for f in line['faces']] == [f.id for f in window.faces]
        for got, want in zip(line['faces'], window.faces, strict=True):
            assert got['label'] == want.prediction.label
            assert np.abs(np.array(got['scores']) - want.prediction.scores).max() < 1e-4


def test_a_checkpoint_without_pytorch_gets_a_one_line_answer(ravdess_root):
    proc = run_tool(
        [WITHOUT_TORCH, 'tools/demo.py', ravdess_clip(ravdess_root), TINY_CONFIG, 'best.pth'],
        REPO_ROOT,
    )
    assert proc.returncode == 1
    assert proc.stdout.strip().splitlines()[-1] == (
        'demo: best.pth: a checkpoint needs PyTorch, which is not installed here; run an '
        'exported model with --onnx MODEL.onnx (docs/deployment.md)'
    )


def test_the_deployment_guide_commands_parse():
    """Every command in docs/deployment.md is one the exporter or the demo takes, and its
    install line names the requirements file."""
    import sys

    sys.path[:0] = [f'{REPO_ROOT}/tools', f'{REPO_ROOT}/tools/deployment']
    import demo
    import export_onnx

    page = open(f'{REPO_ROOT}/docs/deployment.md').read().replace('\\\n', ' ')
    blocks = [b.split('```')[0] for b in page.split('```bash')[1:]]
    commands = [line.split()[1:] for b in blocks for line in b.splitlines() if 'python ' in line]
    assert len(commands) == 4
    export = export_onnx.parse_args(commands[0][1:])
    assert export.out_dir == 'deploy/' and export.opset == 20
    for words in commands[1:]:
        args = demo.parse_args(words[1:])
        assert args.onnx == 'deploy/avemo_tiny_ravdess.onnx' and not args.config
    assert 'pip install -r tools/deployment/requirements.txt && pip install --no-deps .' in page
    guide = f'{REPO_ROOT}/docs/user_guides/own_videos.md'
    readme = open(guide).read().split('**Without PyTorch**')[1]
    export_line, demo_line = readme.split('```bash')[1].split('```')[0].strip().splitlines()
    assert export_onnx.parse_args(export_line.split()[2:]).out_dir == 'deploy/'
    assert demo.parse_args(demo_line.split()[2:]).onnx == 'deploy/CONFIG_NAME.onnx'
    assert osp.exists(f'{REPO_ROOT}/tools/deployment/requirements.txt')
