"""What the three benchmark tools share: the machine's description and the JSON output."""

from __future__ import annotations

import json
import os
import os.path as osp
import platform

import torch


def machine() -> dict:
    """The machine a figure was measured on (written into every benchmark's JSON)."""
    return dict(
        platform=platform.platform(),
        processor=platform.processor() or platform.machine(),
        cpus=os.cpu_count(),
        torch=torch.__version__,
        cuda=torch.cuda.get_device_name(0) if torch.cuda.is_available() else None,
        torch_threads=torch.get_num_threads(),
    )


def write_result(result: dict, out: str | None, work_dir: str, default_name: str) -> str:
    """Write a benchmark's result as JSON to ``out`` (default ``work_dir/default_name``)."""
    path = out or osp.join(work_dir, default_name)
    os.makedirs(osp.dirname(osp.abspath(path)), exist_ok=True)
    with open(path, 'w') as fh:
        json.dump(result, fh, indent=1)
    print(f'written to {path}')
    return path
