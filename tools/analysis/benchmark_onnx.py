"""PyTorch against ONNX Runtime on the CPU: per-clip latency of the same model, side by side.

Exports the config's model (its initial weights, or --checkpoint) with
``avemo_mm.deploy.onnx_export``, checks ONNX Runtime against PyTorch at batch 1 and 3
(same top class, probabilities within --atol: the paper config's export check), then
times the tensor path at batch 1 (random inputs of the config's shapes, the data
pipeline left out) with each runtime at the same thread count: median of --repeats
after --warmup runs. The ratio is PyTorch's time over ONNX Runtime's (> 1: ONNX
Runtime is faster).

Example::

    python tools/analysis/benchmark_onnx.py configs/avemo_ravdess.py --threads 1 2 \\
        --out docs/experiments/records/benchmark_onnx_paper.json
"""

import argparse
import os
import os.path as osp
import statistics
import sys
import tempfile
import time

sys.path.insert(0, osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))))

import numpy as np  # noqa: E402
import torch  # noqa: E402

import avemo_mm  # noqa: E402,F401
from avemo_mm.apis import init_model  # noqa: E402
from avemo_mm.apis.torch_backend import TorchBackend  # noqa: E402
from avemo_mm.deploy import OnnxRecognizer  # noqa: E402
from avemo_mm.deploy.onnx_export import compare_with_torch, export_onnx, tensor_path  # noqa: E402
from avemo_mm.utils.benchmark import machine, write_result  # noqa: E402


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('config')
    parser.add_argument('--checkpoint', help='weights to export (default: the initial ones)')
    parser.add_argument(
        '--threads', type=int, nargs='+', default=[os.cpu_count()], help='thread counts'
    )
    parser.add_argument('--warmup', type=int, default=3)
    parser.add_argument('--repeats', type=int, default=20)
    parser.add_argument('--atol', type=float, default=1e-4)
    parser.add_argument('--work-dir', default='work_dirs/benchmark_onnx')
    parser.add_argument('--out', help='JSON result (default WORK_DIR/benchmark_onnx.json)')
    return parser.parse_args(argv)


def _median_ms(run, warmup: int, repeats: int) -> float:
    for _ in range(warmup):
        run()
    times = []
    for _ in range(repeats):
        began = time.perf_counter()
        run()
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times)


def main(argv=None) -> dict:
    args = parse_args(argv)
    torch.manual_seed(0)
    model = init_model(args.config, args.checkpoint)
    with tempfile.TemporaryDirectory(prefix='avemo_onnx_') as tmp:
        began = time.perf_counter()
        path = export_onnx(model, tmp, 'model', checkpoint=args.checkpoint, config=args.config)
        export_s = time.perf_counter() - began
        size_mb = (
            sum(
                osp.getsize(osp.join(tmp, f))
                for f in os.listdir(tmp)
                if f.startswith('model.onnx')
            )
            / 2**20
        )
        worst = compare_with_torch(model, path, args.atol)
        print(f'exported in {export_s:.0f} s ({size_mb:.0f} MiB); ONNX Runtime within {worst:.1e}')
        meta = OnnxRecognizer(path, verify_hash=False).meta
        wrapper = tensor_path(model, TorchBackend(model), list(meta['inputs']))
        feeds = [torch.randn((1, *shape[1:])) for shape in meta['inputs'].values()]
        arrays = {name: f.numpy() for name, f in zip(meta['inputs'], feeds, strict=True)}
        rows = []
        for threads in args.threads:
            torch.set_num_threads(threads)
            runtime = OnnxRecognizer(path, threads=threads, verify_hash=False)

            def run_torch():
                with torch.no_grad():
                    wrapper(*feeds)

            def run_onnx(session=runtime.session):
                session.run(None, arrays)

            torch_ms = _median_ms(run_torch, args.warmup, args.repeats)
            onnx_ms = _median_ms(run_onnx, args.warmup, args.repeats)
            ratio = round(torch_ms / onnx_ms, 3)
            rows.append(
                dict(threads=threads, torch_ms=round(torch_ms, 2),
                     onnxruntime_ms=round(onnx_ms, 2), ratio=ratio)
            )  # fmt: skip
            print(
                f'{threads} thread(s): PyTorch {torch_ms:.1f} ms, ONNX Runtime {onnx_ms:.1f} ms '
                f'per clip (x{torch_ms / onnx_ms:.2f})'
            )
    import onnxruntime

    result = dict(
        config=args.config,
        checkpoint=args.checkpoint,
        inputs={k: v[1:] for k, v in meta['inputs'].items()},
        export_seconds=round(export_s, 1),
        onnx_mib=round(size_mb, 1),
        max_probability_difference=float(np.float32(worst)),
        warmup=args.warmup,
        repeats=args.repeats,
        rows=rows,
        onnxruntime=onnxruntime.__version__,
        machine=machine(),
    )
    write_result(result, args.out, args.work_dir, 'benchmark_onnx.json')
    return result


if __name__ == '__main__':
    main()
