"""Shared fixtures. Generated media is made once per test session and shared."""

from __future__ import annotations

import os
import os.path as osp
import subprocess
import sys

import pytest

REPO_ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
STOCK_CONFIG = osp.join(
    REPO_ROOT, 'configs', 'mmaction_stock', 'tsn_r18_1xb2-1x1x3-1e_tiny-videos-rgb.py'
)


def run_tool(args: list[str], cwd: str, timeout: float = 600) -> subprocess.CompletedProcess:
    """Run a repository tool (``tools/...py`` or ``.sh``) as a user would, from ``cwd``.

    The shell tools get ``PYTHON`` set to this interpreter. Output is captured in
    ``.stdout`` (stderr merged).
    """
    env = dict(os.environ, PYTHONUNBUFFERED='1', PYTHON=sys.executable)
    script = osp.join(REPO_ROOT, args[0])
    cmd = (['bash', script] if script.endswith('.sh') else [sys.executable, script]) + args[1:]
    return subprocess.run(
        cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        timeout=timeout,
    )  # fmt: skip


def assert_ok(proc: subprocess.CompletedProcess) -> str:
    """Fail with the tail of the tool's output unless it exited 0."""
    assert proc.returncode == 0, f'exit {proc.returncode}:\n{proc.stdout[-6000:]}'
    return proc.stdout


@pytest.fixture(scope='session')
def tiny_videos_workspace(tmp_path_factory) -> str:
    """A folder holding ``data/tiny_videos`` (the stock config's relative data root)."""
    root = tmp_path_factory.mktemp('tiny_videos_ws')
    assert_ok(run_tool(['tools/data/make_tiny_videos.py', 'data/tiny_videos'], cwd=str(root)))
    return str(root)
