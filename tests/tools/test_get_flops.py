"""tools/analysis/get_flops.py reports parameters and FLOPs per sample."""

import json

from conftest import REPO_ROOT, assert_ok, run_tool


def test_get_flops_on_the_tiny_config(tmp_path):
    out = tmp_path / 'flops.json'
    log = assert_ok(
        run_tool(
            ['tools/analysis/get_flops.py', 'configs/avemo_tiny_ravdess.py', '--json', str(out)],
            REPO_ROOT,
        )
    )
    assert 'FLOPs (multiply-accumulates) per sample' in log
    result = json.loads(out.read_text())
    assert result['input_shapes'] == {'imgs': [6, 3, 4, 64, 64], 'audios': [6, 1, 64, 100]}
    assert result['flops_per_sample'] > 1e8
    parts = result['params_by_part']
    # the spectrogram ResNet-18 at 16 base channels, 1 input channel, no fc
    assert parts['audio_backbone'] == 700_528
    assert sum(parts.values()) == result['params']
