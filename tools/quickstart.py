"""The README's main job: the whole method end to end on a CPU, in a few minutes.

1. generates a small synthetic corpus in the exact RAVDESS layout (4 actors, 120 clips);
2. prepares it (face tracking, face cache, audio, folds) with
   ``tools/data/prepare_dataset.py``;
3. trains ``configs/avemo_tiny_ravdess.py`` on fold 0 with ``tools/train.py``;
4. tests the best validation checkpoint on the held-out actor with ``tools/test.py``
   (WAR, UAR, per-class accuracy, the confusion matrix);
5. draws the pictures with ``tools/analysis/plot_results.py``;
6. runs ``tools/demo.py`` on one clip of the held-out actor (top emotions, a timeline
   and the annotated video).

Each step runs the real tool in a subprocess, exactly as a user would type it, and
the run ends with a success line. Example::

    python tools/quickstart.py --work-dir work_dirs/quickstart
"""

import argparse
import glob
import json
import os
import os.path as osp
import re
import subprocess
import sys
import time

REPO_ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
CONFIG = osp.join(REPO_ROOT, 'configs', 'avemo_tiny_ravdess.py')
STEPS = 6


def run_step(index: int, title: str, args: list[str], cwd: str) -> str:
    """Run one tool, stream its output lines that show progress, return all of it."""
    print(f'[{index}/{STEPS}] {title} ...', flush=True)
    start = time.time()
    proc = subprocess.Popen(
        [sys.executable, *args],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=dict(os.environ, PYTHONUNBUFFERED='1'),
    )
    lines = []
    for line in proc.stdout:
        lines.append(line)
        if _shows_progress(line):
            print('      ' + _shorten(line.strip()), flush=True)
    code = proc.wait()
    if code != 0:
        sys.stdout.write(''.join(lines[-60:]))
        sys.exit(f'quickstart FAILED at step {index} ({title}): exit code {code}')
    print(f'      done in {time.time() - start:.1f} s', flush=True)
    return ''.join(lines)


def _shows_progress(line: str) -> bool:
    return bool(
        re.search(r'Epoch\((val|test)\) \[\d+\]\[\d+/\d+\]|^wrote|^\w+: \d+ prepared', line)
        or re.search(r'^top emotions|^annotated video|x real time', line)
    )


def _shorten(line: str) -> str:
    line = re.sub(r'^\d\d/\d\d \d\d:\d\d:\d\d - mmengine - INFO - ', '', line)
    line = re.sub(r'\s+class_acc/.*', '', line)  # per-class figures: in the report
    return line[:150]


def main():
    parser = argparse.ArgumentParser(description='The whole avemo-mm method end to end.')
    parser.add_argument('--work-dir', default='work_dirs/quickstart', help='output folder')
    parser.add_argument('--epochs', type=int, default=20, help='training epochs')
    args = parser.parse_args()
    work_dir = osp.abspath(args.work_dir)
    os.makedirs(work_dir, exist_ok=True)
    tools = osp.join(REPO_ROOT, 'tools')
    corpus, prepared = 'data/ravdess_synthetic', 'data/ravdess_synthetic_prepared'
    data = [f'data_root={corpus}', f'ann_file={prepared}/annotations.json', 'fold=0']
    started = time.time()

    run_step(
        1,
        'generating a synthetic RAVDESS-format corpus (4 actors, 120 clips)',
        [osp.join(tools, 'data', 'make_synthetic_ravdess.py'), corpus, '--actors', '4'],
        work_dir,
    )
    run_step(
        2,
        'preparing it: faces, audio, folds (tools/data/prepare_dataset.py)',
        [
            osp.join(tools, 'data', 'prepare_dataset.py'),
            'ravdess',
            corpus,
            prepared,
            '--face-size',
            '64',
            '--num-folds',
            '4',
            '--workers',
            '2',
        ],
        work_dir,
    )
    run_step(
        3,
        f'training the tiny audio-visual model, fold 0, {args.epochs} epochs (tools/train.py)',
        [
            osp.join(tools, 'train.py'),
            CONFIG,
            '--work-dir',
            'train',
            '--cfg-options',
            *data,
            f'train_cfg.max_epochs={args.epochs}',
        ],
        work_dir,
    )
    # the newest: a re-run of the quickstart trains again into the same folder
    checkpoint = max(
        glob.glob(osp.join(work_dir, 'train', 'best_WAR_epoch_*.pth')), key=osp.getmtime
    )
    log = run_step(
        4,
        f'testing {osp.basename(checkpoint)} on the held-out actor (tools/test.py)',
        [
            osp.join(tools, 'test.py'),
            CONFIG,
            checkpoint,
            '--work-dir',
            'test',
            '--dump',
            'test/results.pkl',
            '--cfg-options',
            *data,
        ],
        work_dir,
    )
    war, uar = re.findall(r'Epoch\(test\).*?WAR: ([0-9.]+)\s+UAR: ([0-9.]+)', log)[-1]
    run_step(
        5,
        'drawing the pictures (tools/analysis/plot_results.py)',
        [
            osp.join(tools, 'analysis', 'plot_results.py'),
            CONFIG,
            checkpoint,
            '--out-dir',
            'pictures',
            '--cfg-options',
            *data,
        ],
        work_dir,
    )
    with open(osp.join(work_dir, prepared, 'annotations.json')) as fh:
        records = json.load(fh)['data_list']
    clip = next(r for r in records if r['actor'] == 1 and r['emotion'] == 'happy')
    video = osp.join(corpus, clip['video'])
    run_step(
        6,
        f'the demo on {video} (true emotion: {clip["emotion"]}; tools/demo.py)',
        [
            osp.join(tools, 'demo.py'),
            video,
            CONFIG,
            checkpoint,
            '--out-video',
            'demo/annotated.mp4',
            '--window',
            '2',
            '--hop',
            '1',
            '--timeline',
            'demo/timeline.csv',
            '--timeline-plot',
            'demo/timeline.png',
        ],
        work_dir,
    )
    print(
        f'test on the held-out actor (30 clips, 8 classes, chance 12.5%): '
        f'WAR {float(war):.1%}, UAR {float(uar):.1%}'
    )
    print(f'checkpoint:  {checkpoint}')
    print(f'pictures:    {osp.join(work_dir, "pictures")} (confusion matrix, t-SNE, attention)')
    print(f'demo output: {osp.join(work_dir, "demo")} (annotated.mp4, timeline.csv/.png)')
    print(
        f'quickstart OK: data, preparation, training, testing, pictures and the demo all '
        f'work ({(time.time() - started) / 60:.1f} min)'
    )


if __name__ == '__main__':
    main()
