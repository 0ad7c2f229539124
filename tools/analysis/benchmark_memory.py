"""Resident memory over many training iterations: does anything leak?

The process's resident memory while the config's training pipeline (with
``--train-step``, also the model's training step) runs over the training clips again
and again for ``--iters`` iterations of ``--batch`` samples. It reports the growth
after the warm-up (the first tenth), the slope in MiB per 1000 iterations and the
medians of the first and last thirds of the samples: a leak in a decoder or a cache
shows as a steady slope and a higher last median. RSS moves in steps of several MiB as
the allocator grows its arenas; ``--tracemalloc`` also reports the growth of live
Python objects, which has no such noise (a leak in native code shows in RSS only).

Example::

    python tools/analysis/benchmark_memory.py configs/avemo_tiny_ravdess.py --train-step \
        --iters 1000 --cfg-options data_root=... ann_file=...
"""

import argparse
import os
import os.path as osp
import statistics
import sys
import time
import tracemalloc

sys.path.insert(0, osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))))

import torch  # noqa: E402
from mmaction.registry import DATASETS  # noqa: E402
from mmengine.config import DictAction  # noqa: E402
from mmengine.dataset import pseudo_collate  # noqa: E402
from mmengine.registry import init_default_scope  # noqa: E402

import avemo_mm  # noqa: E402,F401
from avemo_mm.utils.benchmark import machine, write_result  # noqa: E402


def current_rss_mib() -> float:
    """This process's resident memory now, MiB (Linux ``/proc``)."""
    with open('/proc/self/statm') as fh:
        pages = int(fh.read().split()[1])
    return pages * os.sysconf('SC_PAGE_SIZE') / 2**20


def bench_memory(args) -> dict:
    """RSS over many iterations of the training pipeline (and step) on the same clips."""
    from mmaction.registry import MODELS
    from mmengine.config import Config
    from mmengine.optim import OptimWrapper

    from avemo_mm.utils import propagate_dataset_variables

    cfg = Config.fromfile(args.config)
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
        propagate_dataset_variables(cfg, args.cfg_options)
    init_default_scope(cfg.get('default_scope', 'mmaction'))
    torch.manual_seed(0)
    dataset = DATASETS.build(cfg.train_dataloader.dataset)
    model = optim_wrapper = None
    if args.train_step:
        model = MODELS.build(cfg.model).train()
        if hasattr(model, 'set_dataset_meta'):
            model.set_dataset_meta(dataset.metainfo)
        optim_wrapper = OptimWrapper(torch.optim.Adam(model.parameters(), lr=1e-4))
    every = max(1, args.iters // 50)
    trace, traced = [], []  # (iteration, RSS MiB); Python-allocated MiB
    if args.tracemalloc:  # Python objects only, but without the allocator's noise
        tracemalloc.start()
    start = time.perf_counter()
    for it in range(args.iters):
        batch = [dataset[(it * args.batch + j) % len(dataset)] for j in range(args.batch)]
        if model is not None:  # the Runner's step: preprocess, losses, update
            model.train_step(pseudo_collate(batch), optim_wrapper)
        if it % every == 0 or it == args.iters - 1:
            trace.append((it + 1, current_rss_mib()))
            if args.tracemalloc:
                traced.append(tracemalloc.get_traced_memory()[0] / 2**20)
    seconds = time.perf_counter() - start
    tracemalloc.stop()
    warm = next(n for n, (i, _) in enumerate(trace) if i > args.iters // 10)
    steady = trace[warm:]
    its, mibs = zip(*steady, strict=True)
    slope = statistics.linear_regression(its, mibs).slope * 1000 if len(steady) > 1 else 0.0
    third = max(1, len(mibs) // 3)  # medians: a training step's RSS swings by tens of MiB
    python = {}
    if traced:
        python = dict(python_growth_mib=traced[-1] - traced[warm], python_trace_mib=traced)
    return dict(
        **python,
        iterations=args.iters,
        batch=args.batch,
        train_step=bool(args.train_step),
        clips=len(dataset),
        seconds=seconds,
        rss_after_warmup_mib=steady[0][1],
        rss_last_mib=steady[-1][1],
        growth_mib=steady[-1][1] - steady[0][1],
        median_first_third_mib=statistics.median(mibs[:third]),
        median_last_third_mib=statistics.median(mibs[-third:]),
        slope_mib_per_1000_iters=slope,
        trace=trace,
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config', help='the config whose training pipeline runs')
    parser.add_argument('--batch', type=int, default=2, help='samples per iteration')
    parser.add_argument('--iters', type=int, default=500, help='iterations')
    parser.add_argument('--train-step', action='store_true', help="also the model's step")
    parser.add_argument('--tracemalloc', action='store_true', help='also trace Python objects')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction, help='config overrides')
    parser.add_argument('--work-dir', default='work_dirs/benchmark')
    parser.add_argument('--out', help='JSON file (default: WORK_DIR/benchmark_memory.json)')
    args = parser.parse_args()
    os.makedirs(args.work_dir, exist_ok=True)
    result = dict(machine=machine(), settings=vars(args), memory=bench_memory(args))
    m = result['memory']
    what = 'pipeline + training step' if m['train_step'] else 'training pipeline'
    print(
        f'\nmemory, {what}, {m["iterations"]} iterations x {m["batch"]} samples over '
        f'{m["clips"]} clips ({m["seconds"]:.0f} s):\n'
        f'  RSS after warm-up {m["rss_after_warmup_mib"]:.1f} MiB, at the end '
        f'{m["rss_last_mib"]:.1f} MiB: growth {m["growth_mib"]:+.1f} MiB, slope '
        f'{m["slope_mib_per_1000_iters"]:+.2f} MiB per 1000 iterations; median of the first '
        f'third {m["median_first_third_mib"]:.1f} MiB, of the last '
        f'{m["median_last_third_mib"]:.1f} MiB'
    )
    if 'python_growth_mib' in m:
        print(f'  Python objects (tracemalloc): {m["python_growth_mib"]:+.2f} MiB after warm-up')
    write_result(result, args.out, args.work_dir, 'benchmark_memory.json')


if __name__ == '__main__':
    main()
