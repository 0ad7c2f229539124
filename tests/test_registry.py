"""avemo modules register into MMAction2's registries under their public names."""

import subprocess
import sys
import textwrap

import pytest

# (registry, name): the public API promised by the README.
IMPLEMENTED = [
    ('MODELS', 'TripletLoss'),
    ('MODELS', 'EmotionMetricLoss'),
    ('MODELS', 'VisualAttentionNeck'),
    ('MODELS', 'AudioAttentionNeck'),
    ('MODELS', 'CrossAttentionFusionHead'),
    ('MODELS', 'AVRecognizer'),
    ('MODELS', 'HaraResNet3d'),
    ('MODELS', 'SpectrogramResNet'),
    ('MODELS', 'BN1dAnyBatch'),
    ('HOOKS', 'DatasetMetaHook'),
    ('DATA_SAMPLERS', 'ClassBalancedBatchSampler'),
    ('DATASETS', 'RavdessDataset'),
    ('DATASETS', 'CremaDDataset'),
    ('TRANSFORMS', 'SampleSnippets'),
    ('TRANSFORMS', 'LoadAudio'),
    ('TRANSFORMS', 'SnippetLogSpectrogram'),
    ('TRANSFORMS', 'AudioNoise'),
    ('TRANSFORMS', 'AudioGain'),
    ('TRANSFORMS', 'AudioPitchShift'),
    ('TRANSFORMS', 'AudioTimeShift'),
    ('TRANSFORMS', 'SpectrogramMasks'),
    ('TRANSFORMS', 'ClipLightChange'),
    ('TRANSFORMS', 'ClipScaleJitter'),
    ('TRANSFORMS', 'FrameStandardize'),
    ('TRANSFORMS', 'ClipChange'),
]


def _registry(name):
    import mmaction.registry

    import avemo_mm  # noqa: F401

    return getattr(mmaction.registry, name)


@pytest.mark.parametrize('registry,name', IMPLEMENTED)
def test_registered_after_import(registry, name):
    reg = _registry(registry)
    assert reg.scope == 'mmaction'
    assert reg.get(name) is not None, f'{name} missing from mmaction {registry}'


def test_readme_lists_every_public_name():
    from conftest import REPO_ROOT

    readme = open(f'{REPO_ROOT}/README.md').read()
    for _, name in IMPLEMENTED:
        assert f'`{name}`' in readme, f'README does not mention {name}'


def test_custom_imports_in_a_fresh_process(tmp_path):
    """A config with only `custom_imports` registers avemo modules, and MMAction2's
    own models still import and build (composition)."""
    cfg = tmp_path / 'cfg.py'
    cfg.write_text(
        "custom_imports = dict(imports=['avemo_mm'], allow_failed_imports=False)\n"
        "default_scope = 'mmaction'\n"
        "loss = dict(type='TripletLoss', margin=0.3)\n"
        "backbone = dict(type='ResNet3d', depth=18, pretrained=None, pretrained2d=False)\n"
    )
    code = textwrap.dedent(
        f"""
        import sys
        from mmengine.config import Config
        assert 'avemo_mm' not in sys.modules
        cfg = Config.fromfile({str(cfg)!r})
        assert 'avemo_mm' in sys.modules
        from mmengine.registry import init_default_scope
        init_default_scope(cfg.default_scope)
        from mmaction.registry import MODELS
        loss = MODELS.build(cfg.loss)
        assert type(loss).__name__ == 'TripletLoss' and loss.margin == 0.3
        backbone = MODELS.build(cfg.backbone)
        assert type(backbone).__name__ == 'ResNet3d'
        print('OK')
        """
    )
    proc = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert proc.stdout.strip() == 'OK'


def test_import_prints_no_traceback():
    proc = subprocess.run(
        [sys.executable, '-c', 'import avemo_mm'], capture_output=True, text=True
    )
    assert proc.returncode == 0
    assert 'Traceback' not in proc.stderr and 'Warning' not in proc.stderr, proc.stderr
