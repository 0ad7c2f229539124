"""The README's main job: check a fresh install end to end, in about a minute.

Generates a tiny video data set, trains a recognizer for one epoch with
``tools/train.py``, tests the checkpoint with ``tools/test.py``, resumes, and ends
with a success line. Each step runs the real tool in a subprocess, exactly as a
user would type it.

Until the avemo-mm model lands (issues 3-5 of the tracker), the recognizer is the
stock MMAction2 TSN of ``configs/mmaction_stock/``: the run checks the install, the
compatibility fixes and the tools, not emotion recognition.

Example::

    python tools/quickstart.py --work-dir work_dirs/quickstart
"""

import argparse
import os
import os.path as osp
import re
import subprocess
import sys
import time

REPO_ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
CONFIG = osp.join(
    REPO_ROOT, 'configs', 'mmaction_stock', 'tsn_r18_1xb2-1x1x3-1e_tiny-videos-rgb.py'
)


def run_step(index: int, total: int, title: str, args: list[str], cwd: str) -> str:
    """Run one tool, show its progress, and return its output; exit on failure."""
    print(f'[{index}/{total}] {title} ...', flush=True)
    start = time.time()
    proc = subprocess.run(
        [sys.executable, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=dict(os.environ, PYTHONUNBUFFERED='1'),
    )
    if proc.returncode != 0:
        sys.stdout.write(proc.stdout[-4000:] + proc.stderr[-4000:])
        sys.exit(f'quickstart FAILED at step {index} ({title}): exit code {proc.returncode}')
    print(f'      done in {time.time() - start:.1f} s', flush=True)
    return proc.stdout + proc.stderr


def main():
    parser = argparse.ArgumentParser(description='Check a fresh avemo-mm install end to end.')
    parser.add_argument('--work-dir', default='work_dirs/quickstart', help='output folder')
    args = parser.parse_args()
    work_dir = osp.abspath(args.work_dir)
    os.makedirs(work_dir, exist_ok=True)
    tools = osp.join(REPO_ROOT, 'tools')

    run_step(
        1,
        4,
        'generating a tiny video data set',
        [osp.join(tools, 'data', 'make_tiny_videos.py'), 'data/tiny_videos'],
        work_dir,
    )
    run_step(
        2,
        4,
        'training one epoch (tools/train.py)',
        [osp.join(tools, 'train.py'), CONFIG, '--work-dir', 'train'],
        work_dir,
    )
    log = run_step(
        3,
        4,
        'testing the checkpoint (tools/test.py)',
        [osp.join(tools, 'test.py'), CONFIG, 'train/epoch_1.pth', '--work-dir', 'test'],
        work_dir,
    )
    run_step(
        4,
        4,
        'resuming for a second epoch (tools/train.py --resume)',
        [
            osp.join(tools, 'train.py'),
            CONFIG,
            '--work-dir',
            'train',
            '--resume',
            '--cfg-options',
            'train_cfg.max_epochs=2',
        ],
        work_dir,
    )
    accuracy = re.findall(r'Epoch\(test\).*?acc/top1: ([0-9.]+)', log)
    print(f'test accuracy (top-1, 4 clips): {accuracy[-1] if accuracy else "n/a"}')
    print(f'checkpoints: {osp.join(work_dir, "train")}')
    print('quickstart OK: install, compatibility fixes, train, test and resume all work')


if __name__ == '__main__':
    main()
