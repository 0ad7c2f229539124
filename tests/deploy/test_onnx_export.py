"""Export to ONNX: the command, the sidecar, and ONNX Runtime against PyTorch."""

import json
import os.path as osp
import shutil

import numpy as np
import onnxruntime as ort
import pytest
import torch
from conftest import (
    REPO_ROOT,
    TINY_AUDIO_CONFIG,
    TINY_CONFIG,
    TINY_VIDEO_CONFIG,
    assert_ok,
    ravdess_clip,
    run_tool,
)
from mmengine.dataset import pseudo_collate

from avemo_mm.apis import inference_av, init_model
from avemo_mm.apis.torch_backend import TorchBackend
from avemo_mm.apis.video_preparation import prepare_video
from avemo_mm.deploy import DeployError, OnnxRecognizer, sha256_of
from avemo_mm.deploy.onnx_export import compare_with_torch, export_onnx


def decisive_model(config: str, seed: int = 0):
    """The config's model with random weights, batch-norm statistics and a classifier
    sharp enough that the probabilities differ (a near-uniform output would hide a
    wrong export)."""
    torch.manual_seed(seed)
    model = init_model(config)
    with torch.no_grad():
        for module in model.modules():
            if isinstance(module, torch.nn.modules.batchnorm._BatchNorm):
                module.running_mean.uniform_(-0.2, 0.2)
                module.running_var.uniform_(0.5, 1.5)
        model.cls_head.fc_cls.weight.mul_(40)
    return model


@pytest.fixture(scope='module')
def exported(tiny_avemo, tmp_path_factory):
    """The trained tiny audio-visual checkpoint exported by the command, as a user runs
    it; the audio-only and video-only configs and the audio-visual one for the face
    alone exported in process."""
    out = str(tmp_path_factory.mktemp('onnx'))
    log = assert_ok(
        run_tool(
            ['tools/deployment/export_onnx.py', TINY_CONFIG, tiny_avemo['checkpoint'],
             '--out-dir', out, '--name', 'av'],
            REPO_ROOT,
        )
    )  # fmt: skip
    models = {'av': init_model(TINY_CONFIG, tiny_avemo['checkpoint'])}
    for name, config, modality in (
        ('audio', TINY_AUDIO_CONFIG, None),
        ('video', TINY_VIDEO_CONFIG, None),
        ('av_as_video', TINY_CONFIG, 'video'),
    ):
        models[name] = decisive_model(config)
        export_onnx(models[name], out, name, modality)
    return dict(out=out, log=log, models=models, path=lambda n: osp.join(out, f'{n}.onnx'))


def test_the_command_writes_the_model_and_its_sidecar(exported, tiny_avemo):
    assert 'the same top class, probabilities within' in exported['log']
    meta = json.load(open(osp.join(exported['out'], 'av.json')))
    model = exported['models']['av']
    assert meta['classes'] == list(model.dataset_meta['classes'])
    assert (meta['modality'], meta['num_snippets'], meta['snippet_len']) == ('audio-visual', 6, 4)
    assert meta['face_size'] == 64 and meta['opset'] == 20
    assert meta['normalization'] == {
        'imgs': {'mean': [114.75] * 3, 'std': [57.375] * 3},
        'audios': None,
    }
    spectrogram = meta['audio']['spectrogram']
    assert meta['audio']['sample_rate'] == 16000
    assert (spectrogram['num_bins'], spectrogram['scale'], spectrogram['pitch_reference']) == (
        64, 'mel', 150,
    )  # fmt: skip
    assert meta['inputs'] == {
        'imgs': ['batch', 6, 3, 4, 64, 64],
        'audios': ['batch', 6, 1, 64, 100],
    }
    assert meta['checkpoint_sha256'] == sha256_of(tiny_avemo['checkpoint'])
    assert meta['onnx_sha256'] == sha256_of(exported['path']('av'))
    assert not osp.exists(exported['path']('av') + '.data')  # the weights inside the file
    session = ort.InferenceSession(exported['path']('av'), providers=['CPUExecutionProvider'])
    for graph_input in session.get_inputs():
        assert isinstance(graph_input.shape[0], str)  # the batch axis is free


@pytest.mark.parametrize('name', ['av', 'audio', 'video', 'av_as_video'])
def test_onnx_runtime_gives_the_pytorch_answers_at_batch_1_and_3(exported, name):
    worst = compare_with_torch(exported['models'][name], exported['path'](name), atol=1e-4)
    assert worst < 1e-4
    runtime = OnnxRecognizer(exported['path'](name))
    clips = [{k: np.random.default_rng(i).normal(size=s[1:]).astype(np.float32)
              for k, s in runtime.meta['inputs'].items()} for i in range(3)]  # fmt: skip
    scores = np.stack([p for p, _ in runtime.predict(clips, runtime.modality)])
    assert scores.shape == (3, 8) and np.allclose(scores.sum(1), 1, atol=1e-5)
    if name != 'av':  # the sharpened random models: a wrong graph could not hide
        assert scores.max(1).min() > 0.5


def test_the_exported_model_reads_a_video_as_the_pytorch_pipeline(
    exported, ravdess_root, tmp_path
):
    """The runtime's inputs from a real clip: the frames identical, the spectrograms
    within rounding; and the same predictions over a timeline."""
    model = exported['models']['av']
    runtime = OnnxRecognizer(exported['path']('av'))
    torch_backend = TorchBackend(model)
    clip = ravdess_clip(ravdess_root)
    prepared = prepare_video(clip, 64, str(tmp_path), min_frames=4)
    base = dict(filename=prepared.face_clip, audio_path=prepared.audio,
                num_frames=prepared.info.num_frames, fps=prepared.info.fps)  # fmt: skip
    for window in (None, (5, 45)):
        inputs = dict(base, frame_window=window) if window else base
        packed = torch_backend.prepare(dict(inputs, start_index=0, modality='RGB'))
        expected = model.data_preprocessor(pseudo_collate([packed]))['inputs']
        got = runtime.prepare(dict(inputs))
        assert np.array_equal(got['imgs'], expected['imgs'][0].numpy())
        assert np.abs(got['audios'] - expected['audios'][0].numpy()).max() < 1e-4
    by_torch = inference_av(model, clip, window=1.0, hop=0.5)
    by_onnx = inference_av(runtime, clip, window=1.0, hop=0.5)
    assert by_onnx.modality == by_torch.modality == 'audio-visual'
    for a, b in zip([by_torch.clip, *by_torch.timeline], [by_onnx.clip, *by_onnx.timeline],
                    strict=True):  # fmt: skip
        assert a.label == b.label and np.abs(a.scores - b.scores).max() < 1e-4


def _copy_pair(exported, name, tmp_path) -> str:
    for ext in ('.onnx', '.json'):
        shutil.copy(osp.join(exported['out'], name + ext), tmp_path / f'model{ext}')
    return str(tmp_path / 'model.onnx')


def test_a_missing_or_disagreeing_sidecar_stops_with_the_file_named(exported, tmp_path):
    path = _copy_pair(exported, 'video', tmp_path)
    sidecar = tmp_path / 'model.json'
    meta = json.loads(sidecar.read_text())
    sidecar.unlink()
    with pytest.raises(DeployError, match=r'model\.onnx: its sidecar .*model\.json is missing'):
        OnnxRecognizer(path)
    cases = {
        'format': (dict(meta, format='something-else'), 'format'),
        'fields': ({k: v for k, v in meta.items() if k != 'classes'}, 'fields missing: classes'),
        'another model': (dict(meta, onnx_sha256='0' * 64), 'SHA-256'),
        'input size': (
            dict(meta, inputs={'imgs': ['batch', 6, 3, 4, 32, 32]}), 'input imgs is'),
        'classes': (dict(meta, classes=meta['classes'][:7]), 'scores 8 classes'),
    }  # fmt: skip
    for case, (changed, message) in cases.items():
        sidecar.write_text(json.dumps(changed))
        with pytest.raises(DeployError, match=message) as caught:
            OnnxRecognizer(path)
        assert 'model.' in str(caught.value) and '\n' not in str(caught.value), case
    shutil.copy(osp.join(exported['out'], 'audio.onnx'), path)  # another graph, same sidecar
    sidecar.write_text(json.dumps(meta))
    with pytest.raises(DeployError, match='SHA-256'):
        OnnxRecognizer(path)


def test_the_command_refuses_a_checkpoint_of_another_config(exported, tmp_path):
    checkpoint = str(tmp_path / 'audio_only.pth')
    model = exported['models']['audio']
    torch.save({'state_dict': model.state_dict()}, checkpoint)
    proc = run_tool(
        ['tools/deployment/export_onnx.py', TINY_CONFIG, checkpoint, '--out-dir',
         str(tmp_path / 'out')],
        REPO_ROOT,
    )  # fmt: skip
    assert proc.returncode == 1 and not osp.exists(tmp_path / 'out')
    last = proc.stdout.strip().splitlines()[-1]  # the whole message on one line
    assert last.startswith('export_onnx: checkpoint ') and 'audio_only.pth does not fit' in last
    assert 'problems): ' in last


def test_a_test_pipeline_the_runtime_does_not_reproduce_is_refused(exported, tmp_path):
    model = decisive_model(TINY_VIDEO_CONFIG)
    steps = model.cfg.test_dataloader.dataset.pipeline
    steps.insert(3, dict(type='CenterCrop', crop_size=56))
    with pytest.raises(ValueError, match='CenterCrop'):
        export_onnx(model, str(tmp_path), 'cropped')
