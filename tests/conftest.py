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


def run_tool(
    args: list[str], cwd: str, timeout: float = 600, cpus: set[int] | None = None
) -> subprocess.CompletedProcess:
    """Run a repository tool (``tools/...py`` or ``.sh``) as a user would, from ``cwd``.

    The shell tools get ``PYTHON`` set to this interpreter. Output is captured in
    ``.stdout`` (stderr merged). ``cpus``: hold the tool to these CPUs (its affinity).
    """
    env = dict(os.environ, PYTHONUNBUFFERED='1', PYTHON=sys.executable)
    script = osp.join(REPO_ROOT, args[0])
    cmd = (['bash', script] if script.endswith('.sh') else [sys.executable, script]) + args[1:]
    return subprocess.run(
        cmd,
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=timeout,
        preexec_fn=None if cpus is None else lambda: os.sched_setaffinity(0, cpus),
    )


def assert_ok(proc: subprocess.CompletedProcess) -> str:
    """Fail with the tail of the tool's output unless it exited 0."""
    assert proc.returncode == 0, f'exit {proc.returncode}:\n{proc.stdout[-6000:]}'
    return proc.stdout


class RunsCode:
    """Pickles as a call to ``touch marker``: what a malicious checkpoint could hold."""

    def __init__(self, marker: str) -> None:
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f'touch {self.marker}',))


@pytest.fixture(scope='session')
def tiny_videos_workspace(tmp_path_factory) -> str:
    """A folder holding ``data/tiny_videos`` (the stock config's relative data root)."""
    root = tmp_path_factory.mktemp('tiny_videos_ws')
    assert_ok(run_tool(['tools/data/make_tiny_videos.py', 'data/tiny_videos'], cwd=str(root)))
    return str(root)


@pytest.fixture(scope='session')
def ravdess_root(tmp_path_factory) -> str:
    """Synthetic RAVDESS: 4 actors, statement 1, audio-visual and video-only files."""
    root = str(tmp_path_factory.mktemp('ravdess') / 'RAVDESS')
    assert_ok(
        run_tool(
            [
                'tools/data/make_synthetic_ravdess.py',
                root,
                '--actors',
                '4',
                '--statements',
                '1',
                '--video-only',
            ],
            cwd=REPO_ROOT,
        )
    )
    return root


def ravdess_clip(ravdess_root: str, modality: str = '01') -> str:
    """The first clip of actor 3 (the test actor of fold 1) in the synthetic RAVDESS:
    ``modality`` ``'01'`` audio-visual, ``'02'`` video-only (no audio track)."""
    import glob

    return sorted(glob.glob(osp.join(ravdess_root, 'Actor_03', f'{modality}-01-*.mp4')))[0]


@pytest.fixture(scope='session')
def ravdess_prepared(ravdess_root, tmp_path_factory) -> str:
    """The preparation tool's output for :func:`ravdess_root` (32 px face cache)."""
    out = str(tmp_path_factory.mktemp('ravdess_prepared'))
    assert_ok(
        run_tool(
            [
                'tools/data/prepare_dataset.py',
                'ravdess',
                ravdess_root,
                out,
                '--face-size',
                '32',
                '--num-folds',
                '4',
            ],
            cwd=REPO_ROOT,
        )
    )
    return out


@pytest.fixture(scope='session')
def cremad_root(tmp_path_factory) -> str:
    """Synthetic CREMA-D: 3 actors, FLV + wav sidecars + summaryTable.csv."""
    root = str(tmp_path_factory.mktemp('cremad') / 'CREMA-D')
    assert_ok(
        run_tool(
            ['tools/data/make_synthetic_ravdess.py', root, '--layout', 'cremad', '--actors', '3'],
            cwd=REPO_ROOT,
        )
    )
    return root


@pytest.fixture(scope='session')
def awkward_corpus(tmp_path_factory) -> dict[str, str]:
    """Kind -> path of awkward and broken files (``tests/awkward_media.py``)."""
    from awkward_media import write_awkward_corpus

    return write_awkward_corpus(str(tmp_path_factory.mktemp('awkward') / 'RAVDESS'))


TINY_CONFIG = osp.join(REPO_ROOT, 'configs', 'avemo_tiny_ravdess.py')
TINY_AUDIO_CONFIG = osp.join(REPO_ROOT, 'configs', 'avemo_tiny_ravdess_at.py')
TINY_VIDEO_CONFIG = osp.join(REPO_ROOT, 'configs', 'avemo_tiny_ravdess_vs-vc-vt.py')


@pytest.fixture(scope='session')
def tiny_avemo(ravdess_root, ravdess_prepared, tmp_path_factory) -> dict:
    """``configs/avemo_tiny_ravdess.py`` trained 2 epochs on fold 1 of the synthetic data.

    Returns ``work_dir``, ``checkpoint`` (the last epoch), ``options`` (the
    ``--cfg-options`` that select the data and the fold) and the training ``log``.
    """
    work_dir = str(tmp_path_factory.mktemp('tiny_avemo'))
    options = [
        f'data_root={ravdess_root}',
        f'ann_file={ravdess_prepared}/annotations.json',
        'fold=1',  # of 4, as prepared: tests actor 3, validates actor 4, trains on 1 and 2
        'num_folds=4',
    ]
    log = assert_ok(
        run_tool(
            [
                'tools/train.py',
                TINY_CONFIG,
                '--work-dir',
                work_dir,
                '--cfg-options',
                *options,
                'train_cfg.max_epochs=2',
            ],
            REPO_ROOT,
        )
    )
    return dict(
        work_dir=work_dir,
        checkpoint=osp.join(work_dir, 'epoch_2.pth'),
        options=options,
        log=log,
    )


def run_on_tiny(tool: str, tiny_avemo: dict, *args: str) -> str:
    """Run ``tools/test.py`` or ``tools/demo.py`` on the tiny checkpoint, as a user types
    it, and return its output (the run must succeed). ``tools/test.py`` gets the data
    options, ``args`` its own (``--work-dir ...``); ``tools/demo.py`` takes the video
    first: ``run_on_tiny('tools/demo.py', tiny_avemo, video, '--window', '1')``.
    """
    if tool == 'tools/demo.py':
        video, *rest = args
        cmd = [tool, video, TINY_CONFIG, tiny_avemo['checkpoint'], *rest]
    else:
        cmd = [tool, TINY_CONFIG, tiny_avemo['checkpoint'], *args]
        cmd += ['--cfg-options', *tiny_avemo['options']]
    return assert_ok(run_tool(cmd, REPO_ROOT))


def av_pipeline(test_mode: bool = False, size: int = 32, audio_size=(32, 32)) -> list[dict]:
    """The audio-visual training (or test) pipeline at a tiny size."""
    return [
        dict(type='DecordInit'),
        dict(type='SampleSnippets', num_snippets=6, snippet_len=4, test_mode=test_mode),
        dict(type='DecordDecode'),
        dict(type='Resize', scale=(size, size), keep_ratio=False),
        dict(type='FormatShape', input_format='NCTHW'),
        dict(type='LoadAudio'),
        dict(type='SnippetLogSpectrogram', out_size=audio_size),
        dict(type='PackActionInputs', collect_keys=('imgs', 'audios')),
    ]


@pytest.fixture
def mm_log():
    """Messages logged through mmengine's current logger during the test, as one string.

    (mmengine's stream handler holds the original stdout, which capsys cannot see.)
    """
    import logging

    from mmengine.logging import MMLogger

    class _Collect(logging.Handler):
        def __init__(self):
            super().__init__()
            self.lines = []

        def emit(self, record):
            self.lines.append(record.getMessage())

    handler = _Collect()
    logger = MMLogger.get_current_instance()
    logger.addHandler(handler)

    class _Text:
        def __str__(self):
            return '\n'.join(handler.lines)

        def __contains__(self, item):
            return item in str(self)

    yield _Text()
    logger.removeHandler(handler)
