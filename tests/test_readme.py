"""The README's commands are the ones CI and the tests run."""

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


def test_readme_main_command_runs(tmp_path):
    """The main command's script, as the README runs it (the install is CI's)."""
    assert MAIN_COMMAND in _read('README.md').splitlines()
    out = assert_ok(run_tool(['tools/quickstart.py', '--work-dir', str(tmp_path)], REPO_ROOT))
    assert [f'[{i}/6]' in out for i in range(1, 7)] == [True] * 6
    assert out.strip().splitlines()[-1].startswith('quickstart OK')
    scores = re.search(r'WAR ([0-9.]+)%, UAR ([0-9.]+)%', out)
    # the synthetic classes are learnable: well above chance (12.5%) on an unseen actor
    assert scores and float(scores.group(1)) >= 25.0, out[-3000:]
    for name in ('confusion_matrix', 'tsne_classes', 'attention_spatial', 'attention_temporal'):
        assert (tmp_path / 'pictures' / f'{name}.png').is_file()
    assert (tmp_path / 'demo' / 'annotated.mp4').is_file()
    assert (tmp_path / 'demo' / 'timeline.csv').is_file()
    assert 'top emotions:' in out
