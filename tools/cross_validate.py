"""Subject-independent k-fold cross-validation: train and test every fold, then report.

Each fold trains with ``tools/train.py`` and tests its best validation checkpoint
(``save_best='WAR'``; the latest checkpoint when there is none) with
``tools/test.py --dump``, in its own folder ``WORK_DIR/fold_K/`` with the tools' logs
in ``train.log`` and ``test.log``. A fold with ``test_metrics.json`` is finished and
never re-run; a fold interrupted during training resumes from its last checkpoint.
The report (``report.md``, ``report.json``, ``confusion_matrix.png``) is written from
whatever folds are finished, and names the missing ones.

Spreading the folds:

- one machine, several GPUs: ``--devices 0,1,2,3`` runs four folds at a time, one per
  GPU (``CUDA_VISIBLE_DEVICES``); on a CPU, ``--devices`` of any labels runs that many
  folds side by side;
- several nodes sharing the work dir: give each node its folds with ``--folds-to-run``
  (``--folds-to-run 0 1 2`` on one, ``3 4 5`` on the next ...), then run
  ``--report-only`` anywhere to combine them.

Examples::

    python tools/cross_validate.py configs/avemo_ravdess.py --folds 10
    python tools/cross_validate.py configs/avemo_ravdess.py --folds 10 --devices 0,1
    python tools/cross_validate.py configs/avemo_ravdess.py --folds 10 --report-only
    python tools/cross_validate.py configs/avemo_ravdess.py --protocol hicmae

``--protocol`` evaluates under a published protocol (``avemo_mm/datasets/protocols.py``:
``hicmae``, ``emobox``, ``chumachenko`` for RAVDESS, ``hicmae`` for CREMA-D), with its
own number of folds, and puts the figures published under it beside ours.
"""

import argparse
import json
import os
import os.path as osp
import queue
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

REPO_ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
sys.path.insert(0, REPO_ROOT)  # run from a checkout

from mmengine.config import Config, DictAction  # noqa: E402

import avemo_mm  # noqa: E402,F401
from avemo_mm.evaluation import (  # noqa: E402
    aggregate_folds,
    emotion_metrics,
    format_report,
    paper_variant,
)
from avemo_mm.evaluation.cross_validation import fold_metrics_path  # noqa: E402
from avemo_mm.utils import propagate_dataset_variables  # noqa: E402
from avemo_mm.visualization import plot_confusion_matrix  # noqa: E402

TRAIN_DONE = 'train_done'


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='k-fold cross-validation of a config.')
    parser.add_argument('config')
    parser.add_argument(
        '--folds', type=int, help="number of folds (default: 10, or the protocol's count)"
    )
    parser.add_argument(
        '--protocol', default='paper', help="'paper' (default) or a published protocol's name"
    )
    parser.add_argument(
        '--folds-to-run', type=int, nargs='+', help='run only these folds (default: all)'
    )
    parser.add_argument('--work-dir', help='default: work_dirs/cv_<config name>')
    parser.add_argument(
        '--devices', help='comma-separated GPU ids (or labels on a CPU): folds run in parallel'
    )
    parser.add_argument(
        '--report-only', action='store_true', help='only combine the finished folds'
    )
    parser.add_argument(
        '--cfg-options', nargs='+', default=[], help='config overrides for every fold'
    )
    args = parser.parse_args(argv)
    args.error = parser.error
    return args


def resolve_folds(args, corpus: str) -> None:
    """Set ``args.folds`` from the protocol and check the fold arguments against it."""
    from avemo_mm.datasets.protocols import protocol_num_folds

    try:
        count = protocol_num_folds(corpus, args.protocol)
    except ValueError as err:
        args.error(str(err))
    if count is not None and args.folds not in (None, count):
        args.error(f'--protocol {args.protocol} has {count} folds; --folds {args.folds} differs')
    args.folds = count or args.folds or 10
    if count is None and args.folds < 2:
        args.error(f'--folds must be at least 2, got {args.folds}')
    bad = [f for f in args.folds_to_run or () if not 0 <= f < args.folds]
    if bad:
        args.error(f'--folds-to-run {bad} out of range: folds are 0..{args.folds - 1}')


def cfg_options_for(args, fold: int) -> list[str]:
    """The user's ``key=value`` strings as typed, then the fold's own."""
    return [
        *args.cfg_options,
        f'fold={fold}',
        f'num_folds={args.folds}',
        f'protocol={args.protocol}',
    ]


def parse_cfg_options(parser, options: list[str]) -> dict:
    """``key=value`` strings to the dict ``Config.merge_from_dict`` takes (mmengine's parser)."""
    namespace = argparse.Namespace()
    DictAction(['--cfg-options'], 'cfg_options')(parser, namespace, options)
    return namespace.cfg_options


def run_tool(args: list[str], log_path: str, device: str | None) -> int:
    """Run a repository tool with its output in ``log_path``; return its exit code."""
    env = dict(os.environ, PYTHONUNBUFFERED='1')
    if device is not None:
        env['CUDA_VISIBLE_DEVICES'] = device
    with open(log_path, 'a') as log:
        return subprocess.run(
            [sys.executable, *args], stdout=log, stderr=subprocess.STDOUT, env=env
        ).returncode


def pick_checkpoint(fold_dir: str) -> str:
    """The best validation checkpoint, else the latest one."""
    best = [f for f in os.listdir(fold_dir) if f.startswith('best_') and f.endswith('.pth')]
    if best:
        return osp.join(fold_dir, max(best, key=lambda f: osp.getmtime(osp.join(fold_dir, f))))
    last = osp.join(fold_dir, 'last_checkpoint')
    if osp.isfile(last):
        with open(last) as fh:
            path = fh.read().strip()
        return path if osp.isabs(path) else osp.join(fold_dir, osp.basename(path))
    raise FileNotFoundError(f'{fold_dir}: training left no checkpoint')


def run_fold(args, work_dir: str, fold: int, device: str | None, classes: list[str]) -> str:
    """Train and test one fold unless done; return a one-line status."""
    fold_dir = osp.join(work_dir, f'fold_{fold}')
    metrics_path = fold_metrics_path(work_dir, fold)
    if osp.isfile(metrics_path):
        return f'fold {fold}: already finished'
    os.makedirs(fold_dir, exist_ok=True)
    options = cfg_options_for(args, fold)
    started = time.time()
    if not osp.isfile(osp.join(fold_dir, TRAIN_DONE)):
        train = [osp.join(REPO_ROOT, 'tools', 'train.py'), args.config, '--work-dir', fold_dir]
        if osp.isfile(osp.join(fold_dir, 'last_checkpoint')):
            train.append('--resume')  # an interrupted fold continues where it stopped
        code = run_tool(
            [*train, '--cfg-options', *options], osp.join(fold_dir, 'train.log'), device
        )
        if code != 0:
            return f'fold {fold}: training FAILED (exit {code}), see {fold_dir}/train.log'
        open(osp.join(fold_dir, TRAIN_DONE), 'w').close()
    checkpoint = pick_checkpoint(fold_dir)
    dump = osp.join(fold_dir, 'test_results.pkl')
    test = [
        osp.join(REPO_ROOT, 'tools', 'test.py'),
        args.config,
        checkpoint,
        '--work-dir',
        osp.join(fold_dir, 'test'),
        '--dump',
        dump,
        '--cfg-options',
        *options,
    ]
    code = run_tool(test, osp.join(fold_dir, 'test.log'), device)
    if code != 0:
        return f'fold {fold}: testing FAILED (exit {code}), see {fold_dir}/test.log'
    write_fold_metrics(dump, metrics_path, classes, fold, checkpoint)
    with open(metrics_path) as fh:
        found = json.load(fh)
    minutes = (time.time() - started) / 60
    return f'fold {fold}: WAR {found["WAR"]:.2%}  UAR {found["UAR"]:.2%}  ({minutes:.1f} min)'


def write_fold_metrics(dump: str, out_path: str, classes, fold: int, checkpoint: str) -> None:
    """Metrics of one fold from its ``--dump`` file, written atomically."""
    from mmengine.fileio import load

    results = load(dump)
    gt = [int(r['gt_label'].reshape(-1)[0]) for r in results]
    pred = [int(r['pred_label'].reshape(-1)[0]) for r in results]
    metrics = dict(emotion_metrics(gt, pred, classes), fold=fold, checkpoint=checkpoint)
    with open(out_path + '.partial', 'w') as fh:
        json.dump(metrics, fh, indent=1)
    os.replace(out_path + '.partial', out_path)


def write_report(args, work_dir: str, cfg, classes: list[str]) -> dict:
    variant, corpus = paper_variant(cfg)
    report = aggregate_folds(work_dir, args.folds, classes, variant, corpus, args.protocol)
    text = format_report(report, osp.basename(args.config))
    with open(osp.join(work_dir, 'report.md'), 'w') as fh:
        fh.write(text)
    with open(osp.join(work_dir, 'report.json'), 'w') as fh:
        json.dump(report, fh, indent=1)
    if report['folds']:
        plot_confusion_matrix(
            report['confusion_matrix'],
            classes,
            osp.join(work_dir, 'confusion_matrix.png'),
            f'{osp.basename(args.config)}, {len(report["folds"])} fold(s) summed',
        )
    print(text)
    print(f'report: {osp.join(work_dir, "report.md")} (and report.json, confusion_matrix.png)')
    return report


def main(argv=None) -> int:
    args = parse_args(argv)
    from mmaction.registry import DATASETS
    from mmengine.registry import init_default_scope

    cfg = Config.fromfile(args.config)
    if args.cfg_options:
        options = parse_cfg_options(argparse.ArgumentParser(), args.cfg_options)
        cfg.merge_from_dict(options)
        propagate_dataset_variables(cfg, options)
    init_default_scope(cfg.get('default_scope', 'mmaction'))
    dataset_class = DATASETS.get(cfg.test_dataloader.dataset.type)
    classes = list(dataset_class.METAINFO['classes'])
    resolve_folds(args, dataset_class.corpus.name)
    if args.protocol != 'paper':  # a config whose datasets ignore it would run the wrong folds
        propagate_dataset_variables(cfg, {'protocol': args.protocol})
        missing = [
            name
            for name in ('train_dataloader', 'val_dataloader', 'test_dataloader')
            if 'protocol' not in cfg[name].dataset
        ]
        if missing:
            args.error(
                f'{args.config}: {", ".join(missing)} have no dataset key "protocol" '
                "(add protocol='paper' to the dataset dict, as the shipped configs do)"
            )
    name = osp.splitext(osp.basename(args.config))[0]
    work_dir = osp.abspath(args.work_dir or osp.join('work_dirs', f'cv_{name}'))
    os.makedirs(work_dir, exist_ok=True)
    failed = False
    if not args.report_only:
        folds = args.folds_to_run or list(range(args.folds))
        devices = args.devices.split(',') if args.devices else [None]
        print(f'{len(folds)} fold(s) of {args.folds} into {work_dir}, {len(devices)} at a time')

        free = queue.Queue()  # each device runs one fold at a time
        for device in devices:
            free.put(device)

        def worker(fold: int) -> bool:
            device = free.get()
            try:
                where = '' if device is None else f' on device {device}'
                print(f'fold {fold}: started{where}', flush=True)
                status = run_fold(args, work_dir, fold, device, classes)
            finally:
                free.put(device)
            print(status, flush=True)
            return 'FAILED' in status

        with ThreadPoolExecutor(max_workers=len(devices)) as pool:
            failed = any(list(pool.map(worker, folds)))
    report = write_report(args, work_dir, cfg, classes)
    return 1 if failed or not report['folds'] else 0


if __name__ == '__main__':
    sys.exit(main())
