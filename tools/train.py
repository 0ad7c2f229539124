"""Train a recognizer: MMAction2's ``tools/train.py``, with avemo-mm's modules.

Same arguments and behaviour as MMAction2 1.2's tool; in addition it imports
``avemo_mm`` first (registration and the fixes in ``avemo_mm.compat``) and lets
``--launcher pytorch`` run on a CPU-only machine (gloo), and ``--amp`` on a CPU (bf16
autocast, :class:`avemo_mm.engine.AutocastOptimWrapper`).

Examples::

    python tools/train.py configs/avemo_tiny_ravdess.py --work-dir work_dirs/tiny
    python tools/train.py CONFIG --resume                 # latest checkpoint in work dir
    python tools/train.py CONFIG --cfg-options fold=3 train_cfg.max_epochs=5
    bash tools/dist_train.sh CONFIG 2                     # 2 processes (GPUs, or gloo on CPU)
"""

import argparse
import os
import os.path as osp
import sys

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))  # run from a checkout

import torch  # noqa: E402
from mmengine.config import Config, DictAction  # noqa: E402
from mmengine.runner import Runner  # noqa: E402

import avemo_mm  # noqa: E402,F401  (registers modules, applies avemo_mm.compat)
from avemo_mm.compat import exit_distributed, setup_cpu_distributed
from avemo_mm.utils import propagate_dataset_variables  # noqa: E402


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='Train an action (emotion) recognizer')
    parser.add_argument('config', help='train config file path')
    parser.add_argument('--work-dir', help='the dir to save logs and models')
    parser.add_argument(
        '--resume',
        nargs='?',
        type=str,
        const='auto',
        help='If a checkpoint path is given, resume from it; if not, try to auto '
        'resume from the latest checkpoint in the work directory.',
    )
    parser.add_argument(
        '--amp', action='store_true', help='whether to use automatic mixed precision training'
    )
    parser.add_argument(
        '--no-validate',
        action='store_true',
        help='whether not to evaluate the checkpoint during training',
    )
    parser.add_argument(
        '--auto-scale-lr',
        action='store_true',
        help='whether to auto scale the learning rate according to the actual batch size '
        'and the original batch size.',
    )
    parser.add_argument('--seed', type=int, default=None, help='random seed')
    parser.add_argument(
        '--diff-rank-seed',
        action='store_true',
        help='whether or not set different seeds for different ranks',
    )
    parser.add_argument(
        '--deterministic',
        action='store_true',
        help='whether to set deterministic options for CUDNN backend.',
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
    if args.no_validate:
        cfg.val_cfg = None
        cfg.val_dataloader = None
        cfg.val_evaluator = None

    cfg.launcher = args.launcher

    # work_dir priority: CLI > config file > ./work_dirs/<config name>
    if args.work_dir is not None:
        cfg.work_dir = args.work_dir
    elif cfg.get('work_dir', None) is None:
        cfg.work_dir = osp.join('./work_dirs', osp.splitext(osp.basename(args.config))[0])

    if args.amp is True:
        optim_wrapper = cfg.optim_wrapper.get('type', 'OptimWrapper')
        assert optim_wrapper in ['OptimWrapper', 'AmpOptimWrapper', 'AutocastOptimWrapper'], (
            f'`--amp` is not supported custom optimizer wrapper type `{optim_wrapper}`.'
        )
        if torch.cuda.is_available():
            cfg.optim_wrapper.type = 'AmpOptimWrapper'
            cfg.optim_wrapper.setdefault('loss_scale', 'dynamic')
        else:  # mmengine's AmpOptimWrapper asserts a GPU: bf16 autocast on the CPU
            cfg.optim_wrapper.type = 'AutocastOptimWrapper'
            cfg.optim_wrapper.setdefault('dtype', 'bfloat16')

    if args.resume == 'auto':
        cfg.resume = True
        cfg.load_from = None
    elif args.resume is not None:
        cfg.resume = True
        cfg.load_from = args.resume

    if args.auto_scale_lr:
        cfg.auto_scale_lr.enable = True

    if cfg.get('randomness', None) is None:
        cfg.randomness = dict(
            seed=args.seed, diff_rank_seed=args.diff_rank_seed, deterministic=args.deterministic
        )
    else:  # the CLI overrides what the config sets
        if args.seed is not None:
            cfg.randomness.seed = args.seed
        if args.diff_rank_seed:
            cfg.randomness.diff_rank_seed = True
        if args.deterministic:
            cfg.randomness.deterministic = True

    if args.cfg_options is not None:
        cfg.merge_from_dict(args.cfg_options)
        propagate_dataset_variables(cfg, args.cfg_options)  # e.g. fold=3 reaches the datasets
    return cfg


def main():
    args = parse_args()
    cfg = Config.fromfile(args.config)
    cfg = merge_args(cfg, args)
    setup_cpu_distributed(cfg)
    if 'runner_type' not in cfg:
        runner = Runner.from_cfg(cfg)
    else:
        from mmengine.registry import RUNNERS

        runner = RUNNERS.build(cfg)
    runner.train()


if __name__ == '__main__':
    main()
    exit_distributed()  # after main: the runner is released (its workers stop)
