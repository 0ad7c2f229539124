"""The config's recognizer against stock MMAction2 on the same input, as a table and JSON.

Stock is a ``Recognizer3D`` with the same video backbone and an ``I3DHead``, fed the
same N x k frames as one clip. For each: training step time and samples/s
(``--batch``), inference latency at batch 1 and throughput at ``--infer-batch``, peak
memory (CUDA max allocated on a GPU; the process's peak RSS on the CPU, each model
measured in a process of its own), FLOPs per sample and, on a GPU with a known peak,
the achieved fraction of it. ``--amp`` (autocast: bf16, or fp16 with ``--amp-dtype``),
``--channels-last`` (``channels_last_3d``) and ``--compile`` (``torch.compile``)
apply to both models alike. Inputs are random tensors of the config's shapes, so the
data pipeline is not in these figures (``benchmark_data.py`` measures it).

Example::

    python tools/analysis/benchmark_model.py configs/avemo_ravdess.py --device cuda --amp
"""

import argparse
import contextlib
import multiprocessing
import os
import os.path as osp
import resource
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor

sys.path.insert(0, osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))))

import torch  # noqa: E402
from mmengine.registry import init_default_scope  # noqa: E402

import avemo_mm  # noqa: E402,F401
from avemo_mm.utils.benchmark import machine, write_result  # noqa: E402
from avemo_mm.utils.complexity import count_flops, input_shapes  # noqa: E402

# dense bf16/fp16 tensor-core peaks, FLOP/s (vendor data sheets)
DEVICE_PEAK_FLOPS = {'H100': 989e12, 'H200': 989e12, 'A100': 312e12, 'RTX 3090': 142e12}
MODEL_ROWS = (
    ('train step (s)', 'train_step_s'),
    ('train samples/s', 'train_samples_per_s'),
    ('latency b=1 (ms)', 'latency_b1_s'),
    ('throughput (samples/s)', None),
    ('peak memory, train (MiB)', 'peak_memory_train_mb'),
    ('peak memory, all (MiB)', 'peak_memory_mb'),
    ('GMACs per sample', 'flops_per_sample'),
    ('parameters (M)', 'params'),
    ('fraction of device peak', 'train_fraction_of_peak'),
)


def build_models(cfg):
    """The config's model and the stock MMAction2 recognizer on the same video backbone."""
    from mmaction.registry import MODELS

    ours = MODELS.build(cfg.model)
    video = cfg.model.get('video_backbone')
    if video is None:
        raise ValueError(
            'the stock comparison needs a video backbone: use an audio-visual or video config'
        )
    head = dict(
        type='I3DHead',
        num_classes=cfg.model.cls_head.num_classes,
        in_channels=cfg.model.video_neck.in_channels,
    )
    stock = MODELS.build(dict(type='Recognizer3D', backbone=video, cls_head=head))
    return dict(ours=ours, stock=stock)


def make_inputs(name: str, shapes: dict, batch: int, device: str, channels_last: bool):
    """Random network inputs: ours a dict, stock ``[B, 1, 3, N*k, Y, X]`` (one clip)."""
    fmt = torch.channels_last_3d if channels_last else torch.contiguous_format

    def tensor(shape):
        x = torch.randn(batch, *shape, device=device)
        return x.contiguous(memory_format=fmt) if x.dim() == 5 and channels_last else x

    if name == 'stock':
        n, c, k, h, w = shapes['imgs']
        return tensor((c, n * k, h, w)).unsqueeze(1)
    return {key: tensor(shape) for key, shape in shapes.items()}


def _labelled(batch: int, classes: int):
    from mmaction.structures import ActionDataSample

    return [ActionDataSample().set_gt_label(i % classes) for i in range(batch)]


def _sync(device: str) -> None:
    if device.startswith('cuda'):
        torch.cuda.synchronize()


def _timed(fn, repeats: int, warmup: int, device: str) -> float:
    """Median seconds of ``fn()`` after ``warmup`` calls."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeats):
        _sync(device)
        start = time.perf_counter()
        fn()
        _sync(device)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _peak_memory(device: str) -> float:
    if device.startswith('cuda'):
        return torch.cuda.max_memory_allocated() / 2**20
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def measure_model(args, name: str) -> dict:
    """Every figure for one model, in this process (its peak memory is this process's)."""
    from mmengine.config import Config

    torch.manual_seed(0)
    cfg = Config.fromfile(args.config)
    init_default_scope(cfg.get('default_scope', 'mmaction'))
    shapes = input_shapes(cfg)
    model = build_models(cfg)[name].to(args.device)
    if hasattr(model, 'set_dataset_meta'):
        from mmaction.registry import DATASETS

        model.set_dataset_meta(DATASETS.get(cfg.test_dataloader.dataset.type).METAINFO)
    if args.channels_last:  # 3D convolutions channels_last_3d, 2D ones channels_last
        for module in model.modules():
            if isinstance(module, torch.nn.Conv3d):
                module.to(memory_format=torch.channels_last_3d)
            elif isinstance(module, torch.nn.Conv2d):
                module.to(memory_format=torch.channels_last)
    flops, params = count_flops(model.eval(), make_inputs(name, shapes, 1, args.device, False))
    forward = torch.compile(model) if args.compile else model
    dtype = dict(bf16=torch.bfloat16, fp16=torch.float16)[args.amp_dtype]
    device_type = 'cuda' if args.device.startswith('cuda') else 'cpu'

    def autocast():
        return torch.autocast(device_type, dtype=dtype) if args.amp else contextlib.nullcontext()

    optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
    scaler = torch.amp.GradScaler(enabled=args.amp and args.amp_dtype == 'fp16')
    train_inputs = make_inputs(name, shapes, args.batch, args.device, args.channels_last)
    samples = _labelled(args.batch, cfg.model.cls_head.num_classes)
    if args.device.startswith('cuda'):
        torch.cuda.reset_peak_memory_stats()

    def train_step():
        with autocast():
            losses = forward(train_inputs, samples, mode='loss')
        loss = sum(v for k, v in losses.items() if k.startswith('loss'))
        optimizer.zero_grad(set_to_none=True)
        scaler.scale(loss).backward()
        scaler.step(optimizer)
        scaler.update()

    model.train()
    step = _timed(train_step, args.repeats, args.warmup, args.device)
    train_peak = _peak_memory(args.device)
    model.eval()
    result = dict(train_step_s=step, train_samples_per_s=args.batch / step)
    for key, batch in (('latency_b1', 1), (f'throughput_b{args.infer_batch}', args.infer_batch)):
        inputs = make_inputs(name, shapes, batch, args.device, args.channels_last)

        def infer(inputs=inputs):
            with torch.no_grad(), autocast():
                forward(inputs, mode='tensor')

        seconds = _timed(infer, args.repeats, args.warmup, args.device)
        result[key + '_s'] = seconds
        result[key + '_samples_per_s'] = batch / seconds
    result.update(
        flops_per_sample=flops,
        params=params,
        peak_memory_train_mb=train_peak,
        peak_memory_mb=_peak_memory(args.device),
    )
    gpu = machine()['cuda'] or ''
    peak = next((v for k, v in DEVICE_PEAK_FLOPS.items() if k in gpu), None)
    if peak and args.device.startswith('cuda'):
        # a training step is about 3 forward passes of FLOPs (2 MACs = 2 FLOPs each)
        achieved = 2 * flops * 3 * result['train_samples_per_s']
        result['train_fraction_of_peak'] = achieved / peak
    return result


def bench_model(args) -> dict:
    """Ours and stock, each in a fresh process (its own peak memory), then ours / stock."""
    rows = {}
    spawn = multiprocessing.get_context('spawn')  # a fresh interpreter: no shared allocator
    for name in ('ours', 'stock'):
        with ProcessPoolExecutor(max_workers=1, mp_context=spawn) as pool:
            rows[name] = pool.submit(measure_model, args, name).result()
        print(f'  measured {name}', flush=True)
    ratios = {
        k: rows['ours'][k] / rows['stock'][k]
        for k in rows['ours']
        if isinstance(rows['stock'].get(k), (int, float)) and rows['stock'][k]
    }
    return dict(ours=rows['ours'], stock=rows['stock'], ratio_ours_to_stock=ratios)


def print_model_table(args, result: dict) -> None:
    scale = {'latency_b1_s': 1e3, 'flops_per_sample': 1e-9, 'params': 1e-6}
    amp = args.amp_dtype if args.amp else 'off'
    print(
        f'\n{args.config} vs stock Recognizer3D + I3DHead, device {args.device}, train batch '
        f'{args.batch}, amp {amp}, channels_last {args.channels_last}, compile {args.compile}:'
    )
    print(f'{"":<28}{"ours":>14}{"stock":>14}{"ours/stock":>12}')
    for label, key in MODEL_ROWS:
        key = key or f'throughput_b{args.infer_batch}_samples_per_s'
        if key not in result['ours']:
            continue
        ours, stock = result['ours'][key], result['stock'][key]
        factor = scale.get(key, 1)
        ratio = result['ratio_ours_to_stock'].get(key)
        ratio_text = f'{ratio:.2f}x' if ratio else ''
        print(f'{label:<28}{ours * factor:>14.3f}{stock * factor:>14.3f}{ratio_text:>12}')


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config', help='the config to measure')
    parser.add_argument('--device', default='cuda' if torch.cuda.is_available() else 'cpu')
    parser.add_argument('--batch', type=int, default=2, help='training batch')
    parser.add_argument('--infer-batch', type=int, default=16, help='throughput batch')
    parser.add_argument('--repeats', type=int, default=5, help='timed repetitions')
    parser.add_argument('--warmup', type=int, default=2, help='untimed repetitions')
    parser.add_argument('--amp', action='store_true', help='autocast')
    parser.add_argument('--amp-dtype', choices=['bf16', 'fp16'], default='bf16')
    parser.add_argument('--channels-last', action='store_true', help='channels_last_3d')
    parser.add_argument('--compile', action='store_true', help='torch.compile')
    parser.add_argument('--work-dir', default='work_dirs/benchmark')
    parser.add_argument('--out', help='JSON file (default: WORK_DIR/benchmark_model.json)')
    args = parser.parse_args()
    os.makedirs(args.work_dir, exist_ok=True)
    result = dict(machine=machine(), settings=vars(args), model=bench_model(args))
    print_model_table(args, result['model'])
    write_result(result, args.out, args.work_dir, 'benchmark_model.json')


if __name__ == '__main__':
    main()
