"""Test (and evaluate) a checkpoint: MMAction2's ``tools/test.py`` with avemo-mm.

Same arguments and behaviour as MMAction2 1.2's tool (``--dump``, ``--show-dir``,
``--cfg-options``, ``--launcher``...). Checkpoints load weights-only: a file that
holds a pickled callable is refused (see ``avemo_mm.compat``).

Examples::

    python tools/test.py CONFIG CHECKPOINT
    python tools/test.py CONFIG CHECKPOINT --dump results.pkl
    bash tools/dist_test.sh CONFIG CHECKPOINT 2
"""

import argparse
import os
import os.path as osp
import sys

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))  # run from a checkout

from mmengine.config import Config, DictAction  # noqa: E402
from mmengine.runner import Runner  # noqa: E402

import avemo_mm  # noqa: E402,F401  (registers modules, applies avemo_mm.compat)
from avemo_mm.compat import exit_distributed, setup_cpu_distributed
from avemo_mm.utils import propagate_dataset_variables  # noqa: E402


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='MMAction2 test (and eval) a model')
    parser.add_argument('config', help='test config file path')
    parser.add_argument('checkpoint', help='checkpoint file')
    parser.add_argument(
        '--work-dir',
        help='the directory to save the file containing evaluation metrics',
    )
    parser.add_argument(
        '--dump',
        type=str,
        help='dump predictions to a pickle file for offline evaluation',
    )
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override some settings in the used config, the key-value pair in xxx=yyy '
        'format will be merged into config file. If the value to be overwritten is a '
        'list, it should be like key="[a,b]" or key=a,b It also allows nested '
        'list/tuple values, e.g. key="[(a,b),(c,d)]" Note that the quotation marks are '
        'necessary and that no white space is allowed.',
    )
    parser.add_argument(
        '--show-dir',
        help='directory where the visualization images will be saved.',
    )
    parser.add_argument(
        '--show',
        action='store_true',
        help='whether to display the prediction results in a window.',
    )
    parser.add_argument('--interval', type=int, default=1, help='visualize per interval samples.')
    parser.add_argument(
        '--wait-time', type=float, default=2, help='display time of every window. (second)'
    )
    parser.add_argument(
        '--launcher',
        choices=['none', 'pytorch', 'slurm', 'mpi'],
        default='none',
        help='job launcher',
    )
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    args = parser.parse_args(argv)
    if 'LOCAL_RANK' not in os.environ:
        os.environ['LOCAL_RANK'] = str(args.local_rank)
    return args


def merge_args(cfg, args):
    """Merge CLI arguments into the config, as MMAction2's tool does."""
    cfg.launcher = args.launcher

    # work_dir priority: CLI > config file > ./work_dirs/<config name>
    if args.work_dir is not None:
        cfg.work_dir = args.work_dir
    elif cfg.get('work_dir', None) is None:
        cfg.work_dir = osp.join('./work_dirs', osp.splitext(osp.basename(args.config))[0])

    if args.show or (args.show_dir is not None):
        assert 'visualization' in cfg.default_hooks, (
            'VisualizationHook is not set in the `default_hooks` field of config. Please '
            'set `visualization=dict(type="VisualizationHook")`'
        )
        cfg.default_hooks.visualization.enable = True
        cfg.default_hooks.visualization.show = args.show
        cfg.default_hooks.visualization.wait_time = args.wait_time
        cfg.default_hooks.visualization.out_dir = args.show_dir
        cfg.default_hooks.visualization.interval = args.interval

    if args.dump is not None:
        assert args.dump.endswith(('.pkl', '.pickle')), 'The dump file must be a pkl file.'
        dump_metric = dict(type='DumpResults', out_file_path=args.dump)
        if isinstance(cfg.test_evaluator, (list, tuple)):
            cfg.test_evaluator = list(cfg.test_evaluator)
            cfg.test_evaluator.append(dump_metric)
        else:
            cfg.test_evaluator = [cfg.test_evaluator, dump_metric]

    if args.cfg_options is not None:
        cfg.merge_from_dict(args.cfg_options)
        propagate_dataset_variables(cfg, args.cfg_options)  # e.g. fold=3 reaches the datasets
    return cfg


def main():
    args = parse_args()
    cfg = Config.fromfile(args.config)
    cfg = merge_args(cfg, args)
    cfg.load_from = args.checkpoint
    setup_cpu_distributed(cfg)
    if 'runner_type' not in cfg:
        runner = Runner.from_cfg(cfg)
    else:
        from mmengine.registry import RUNNERS

        runner = RUNNERS.build(cfg)
    runner.test()


if __name__ == '__main__':
    main()
    exit_distributed()  # after main: the runner is released (its workers stop)
