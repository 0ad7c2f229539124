"""The README's main job: the whole method end to end on a CPU, and what fusion adds.

1. generates a synthetic corpus in the exact RAVDESS layout (10 actors, 300 clips),
   in which the face and the voice each tell only half of the emotions apart;
2. prepares it (face tracking, face cache, audio, folds) with
   ``tools/data/prepare_dataset.py``;
3. trains the tiny audio-visual model (``configs/avemo_tiny_ravdess.py``) on fold 0
   with ``tools/train.py``, then 4. the audio-only and 5. the video-only ablations
   with the same recipe;
6. tests each best validation checkpoint with ``tools/test.py`` on the held-out
   actors (and on the training actors, to show what each model learnt);
7. draws the pictures of the audio-visual model with ``tools/analysis/plot_results.py``;
8. runs ``tools/demo.py`` on one clip of a held-out actor.

Each step runs the real tool in a subprocess, exactly as a user would type it. The
run ends with the three models side by side, the fusion gain, ``summary.json`` in
the work dir, and a success line. The same ``--seed`` gives the same table, bit for
bit, on the same machine. Examples::

    python tools/quickstart.py --work-dir work_dirs/quickstart
    python tools/quickstart.py --work-dir work_dirs/quickstart_seed1 --seed 1
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
CONFIGS = {  # name -> (config, what it is)
    'audio-visual': ('avemo_tiny_ravdess.py', 'the fusion model'),
    'audio': ('avemo_tiny_ravdess_at.py', 'the voice alone (AT)'),
    'video': ('avemo_tiny_ravdess_vs-vc-vt.py', 'the face alone (VS+VC+VT)'),
}
STEPS = 8
ACTORS, FOLDS = 10, 5  # fold 0: 2 test actors, 2 validation actors, 6 training actors


def run_step(index: int, title: str, args: list[str], cwd: str) -> str:
    """Run one tool, stream its output lines that show progress, return all of it."""
    print(f'[{index}/{STEPS}] {title} ...', flush=True)
    start = time.time()
    output = run_tool(args, cwd)
    print(f'      done in {time.time() - start:.1f} s', flush=True)
    return output


def run_tool(args: list[str], cwd: str) -> str:
    """Run ``python ARGS`` in ``cwd``, printing its progress lines; exit if it fails."""
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
        sys.exit(f'quickstart FAILED running {osp.basename(args[0])}: exit code {code}')
    return ''.join(lines)


def _shows_progress(line: str) -> bool:
    return bool(
        re.search(r'Epoch\(val\) \[\d+\]\[\d+/\d+\]|^wrote|^\w+: \d+ prepared', line)
        or re.search(r'^top emotions|^annotated video|x real time', line)
    )


def _shorten(line: str) -> str:
    line = re.sub(r'^\d\d/\d\d \d\d:\d\d:\d\d - mmengine - INFO - ', '', line)
    line = re.sub(r'\s+class_acc/.*', '', line)  # per-class figures: in the report
    return line[:150]


def read_test_metrics(work_dir: str) -> dict:
    """The metrics JSON that ``tools/test.py`` wrote under ``work_dir`` (the newest)."""
    found = glob.glob(osp.join(work_dir, '*', '[0-9]*.json'))
    if not found:
        sys.exit(f'quickstart FAILED: tools/test.py wrote no metrics under {work_dir}')
    with open(max(found, key=osp.getmtime)) as fh:
        return json.load(fh)


def main():
    parser = argparse.ArgumentParser(description='The whole avemo-mm method end to end.')
    parser.add_argument('--work-dir', default='work_dirs/quickstart', help='output folder')
    parser.add_argument('--epochs', type=int, help="training epochs (default: the config's)")
    parser.add_argument(
        '--seed', type=int, default=0, help='training seed of the 3 models (the corpus is fixed)'
    )
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        default=[],
        metavar='KEY=VALUE',
        help="more settings for the three trainings, as tools/train.py's --cfg-options",
    )
    args = parser.parse_args()
    work_dir = osp.abspath(args.work_dir)
    os.makedirs(work_dir, exist_ok=True)
    tools = osp.join(REPO_ROOT, 'tools')
    corpus, prepared = 'data/ravdess_synthetic', 'data/ravdess_synthetic_prepared'
    data = [
        f'data_root={corpus}',
        f'ann_file={prepared}/annotations.json',
        'fold=0',
        f'num_folds={FOLDS}',
    ]
    epochs = []
    if args.epochs:  # the cosine schedule spans the training
        epochs = [f'train_cfg.max_epochs={args.epochs}', f'param_scheduler.0.T_max={args.epochs}',
                  f'param_scheduler.0.end={args.epochs}']  # fmt: skip
    started = time.time()

    run_step(
        1,
        f'generating a synthetic RAVDESS-format corpus ({ACTORS} actors, {ACTORS * 30} clips)',
        [osp.join(tools, 'data', 'make_synthetic_ravdess.py'), corpus, '--actors', str(ACTORS)],
        work_dir,
    )
    run_step(
        2,
        'preparing it: faces, audio, folds (tools/data/prepare_dataset.py)',
        [osp.join(tools, 'data', 'prepare_dataset.py'), 'ravdess', corpus, prepared,
         '--face-size', '64', '--num-folds', str(FOLDS), '--workers', '2'],
        work_dir,
    )  # fmt: skip
    checkpoints = {}
    for index, (name, (config, what)) in enumerate(CONFIGS.items(), 3):
        run_step(
            index,
            f'training {what}, fold 0 (tools/train.py configs/{config})',
            [osp.join(tools, 'train.py'), osp.join(REPO_ROOT, 'configs', config),
             '--work-dir', f'train_{name}', '--seed', str(args.seed),
             '--cfg-options', *data, *epochs, *args.cfg_options],
            work_dir,
        )  # fmt: skip
        # the newest: a re-run of the quickstart trains again into the same folder
        checkpoints[name] = max(
            glob.glob(osp.join(work_dir, f'train_{name}', 'best_WAR_epoch_*.pth')),
            key=osp.getmtime,
        )

    print(f'[6/{STEPS}] testing the three best checkpoints (tools/test.py) ...', flush=True)
    results = {}
    for name, (config, _) in CONFIGS.items():
        results[name] = {}
        for split, actors in (('test', 'held-out actors'), ('train', 'training actors')):
            out = osp.join(work_dir, f'test_{name}_{split}')
            run_tool(
                [osp.join(tools, 'test.py'), osp.join(REPO_ROOT, 'configs', config),
                 checkpoints[name], '--work-dir', out, '--cfg-options', *data,
                 f'test_dataloader.dataset.split={split}'],
                work_dir,
            )  # fmt: skip
            metrics = read_test_metrics(out)
            results[name][split] = dict(WAR=metrics['WAR'], UAR=metrics['UAR'])
            print(f'      {name:>12} on the {actors}: WAR {metrics["WAR"]:.1%}', flush=True)

    av_config, _ = CONFIGS['audio-visual']
    run_step(
        7,
        'drawing the pictures of the audio-visual model (tools/analysis/plot_results.py)',
        [osp.join(tools, 'analysis', 'plot_results.py'), osp.join(REPO_ROOT, 'configs', av_config),
         checkpoints['audio-visual'], '--out-dir', 'pictures', '--cfg-options', *data],
        work_dir,
    )  # fmt: skip
    with open(osp.join(work_dir, prepared, 'annotations.json')) as fh:
        records = json.load(fh)['data_list']
    clip = next(r for r in records if r['actor'] == 1 and r['emotion'] == 'happy')
    video = osp.join(corpus, clip['video'])
    run_step(
        8,
        f'the demo on {video} (true emotion: {clip["emotion"]}; tools/demo.py)',
        [osp.join(tools, 'demo.py'), video, osp.join(REPO_ROOT, 'configs', av_config),
         checkpoints['audio-visual'], '--out-video', 'demo/annotated.mp4', '--window', '2',
         '--hop', '1', '--timeline', 'demo/timeline.csv', '--timeline-plot',
         'demo/timeline.png'],
        work_dir,
    )  # fmt: skip

    best_single = max(results['audio']['test']['WAR'], results['video']['test']['WAR'])
    gain = results['audio-visual']['test']['WAR'] - best_single
    summary = dict(results=results, fusion_gain=gain, checkpoints=checkpoints, seed=args.seed)
    with open(osp.join(work_dir, 'summary.json'), 'w') as fh:
        json.dump(summary, fh, indent=1)
    print(
        f'\nfold 0, seed {args.seed}: 8 classes (chance 12.5%); '
        'the face and the voice each tell 4 apart'
    )
    print(f'{"model":<14}{"training actors":>17}{"held-out actors":>17}{"(UAR)":>9}')
    for name, split in results.items():
        print(
            f'{name:<14}{split["train"]["WAR"]:>17.1%}{split["test"]["WAR"]:>17.1%}'
            f'{split["test"]["UAR"]:>9.1%}'
        )
    print(f'fusion gain over the best single modality: {gain * 100:+.1f} points (WAR)')
    print(f'checkpoints: {osp.join(work_dir, "train_*")}; summary: summary.json')
    print(f'pictures:    {osp.join(work_dir, "pictures")} (confusion matrix, t-SNE, attention)')
    print(f'demo output: {osp.join(work_dir, "demo")} (annotated.mp4, timeline.csv/.png)')
    print(
        f'quickstart OK: data, preparation, training, testing, pictures and the demo all '
        f'work ({(time.time() - started) / 60:.1f} min)'
    )


if __name__ == '__main__':
    main()
