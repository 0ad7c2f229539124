"""The code base passes ruff's lint and format checks (house style)."""

import subprocess
import sys

from conftest import REPO_ROOT


def test_ruff_check():
    proc = subprocess.run(
        [sys.executable, '-m', 'ruff', 'check', '.'], cwd=REPO_ROOT, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_ruff_format():
    proc = subprocess.run(
        [sys.executable, '-m', 'ruff', 'format', '--check', '.'],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
