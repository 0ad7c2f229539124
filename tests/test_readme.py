"""The README's commands are the ones CI and the tests run."""

import json
import re

from conftest import REPO_ROOT, assert_ok, run_tool

TEST_COMMAND = (
    'python3 -m venv .venv && .venv/bin/pip install -q -e ".[dev]" && .venv/bin/python -m pytest'
)
MAIN_COMMAND = (
    'python3 -m venv .venv && .venv/bin/pip install -q -e . '
    '&& .venv/bin/python tools/quickstart.py'
)


def _read(path):
    with open(f'{REPO_ROOT}/{path}') as f:
        return f.read()


def test_ci_runs_exactly_the_readme_test_command():
    readme = _read('README.md')
    assert TEST_COMMAND in readme.splitlines()
    ci_lines = [line for line in _read('.ci/run').splitlines() if line and line[0] != '#']
    assert ci_lines[-1] == TEST_COMMAND  # the last command, after set -e and cd


def test_readme_main_command_runs_and_the_model_learns_from_both_modalities(tmp_path):
    """The main command's script, as the README runs it (the install is CI's).

    It trains the tiny audio-visual config and both single-modality ablations with
    their shipped recipe (augmentation, sampler, batch, learning rate) on the
    synthetic corpus, where the face and the voice each tell 4 of the 8 emotions apart
    (a ceiling near 50% alone) and only both together tell all 8. Each must have learnt
    what its inputs can tell (training actors), generalise to the 2 held-out actors,
    and fusion must beat the best single modality by a wide margin.
    """
    assert MAIN_COMMAND in _read('README.md').splitlines()
    # about 11 min alone on the 2-core CI machine: three trainings of 20 epochs
    quickstart = ['tools/quickstart.py', '--work-dir', str(tmp_path)]
    out = assert_ok(run_tool(quickstart, REPO_ROOT, timeout=2400))
    assert [f'[{i}/8]' in out for i in range(1, 9)] == [True] * 8
    assert out.strip().splitlines()[-1].startswith('quickstart OK')
    summary = json.loads((tmp_path / 'summary.json').read_text())
    war = {name: {split: r[split]['WAR'] for split in r} for name, r in summary['results'].items()}
    report = f'{war}\n{out[-3000:]}'
    # learnt: each model fits what its modality can tell apart on the training actors
    # (fused: all 8 classes; alone: a ceiling near 50%, more where it memorises
    # actor-specific detail). Measured on the 2-core CI machine, seed 0, three runs
    # (the CPU kernels do not repeat bit for bit, and 20 epochs amplify it): fused
    # 96.7 / 96.1 / 98.3%, voice 69.4% each run, face 57.8 / 54.4 / 53.9%; the first
    # fused recipe fitted nothing (cross-entropy at ln 8)
    assert war['audio-visual']['train'] >= 0.85, report
    assert war['audio']['train'] >= 0.40 and war['video']['train'] >= 0.40, report
    # and generalises to unseen actors: each alone near its 50%, fusion far above both
    # (measured: fused 98.3 / 95.0 / 91.7%, voice 50.0% each run, face 43.3 / 35.0 /
    # 43.3%, gain +48.3 / +45.0 / +41.7 points; a held-out WAR on 60 clips moves by up
    # to 10 points between runs, a single modality's more, by coin flips within its
    # groups; hence the margins); the first fused recipe reached 20%
    assert war['audio']['test'] >= 0.35 and war['video']['test'] >= 0.25, report
    assert war['audio-visual']['test'] >= 0.80, report
    best_single = max(war['audio']['test'], war['video']['test'])
    assert summary['fusion_gain'] == war['audio-visual']['test'] - best_single
    assert summary['fusion_gain'] >= 0.30, report  # issue 13's bar: 30 points
    assert re.search(r'fusion gain over the best single modality: \+[0-9.]+ points', out)
    for name in ('confusion_matrix', 'tsne_classes', 'attention_spatial', 'attention_temporal'):
        assert (tmp_path / 'pictures' / f'{name}.png').is_file()
    assert (tmp_path / 'demo' / 'annotated.mp4').is_file()
    assert (tmp_path / 'demo' / 'timeline.csv').is_file()
    assert 'top emotions:' in out
