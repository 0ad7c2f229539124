"""Workarounds 3 and 5: ``mmengine<=0.10.7`` under ``torchrun`` on the CPU.

3. ``init_dist(launcher='pytorch')`` calls ``torch.cuda.set_device`` and the DDP
   wrapper passes ``device_ids``: :func:`setup_cpu_distributed` starts gloo first.
5. ``LoggerHook.after_test_epoch`` dumps the test metrics JSON on every rank to one
   file: :func:`patch_test_metrics_dump` leaves it to rank 0.

And one for ``torch.distributed`` with gloo (torch 2.11): a finished rank can abort
in the interpreter's teardown; :func:`exit_distributed` ends it before that.
"""

from __future__ import annotations

import gc
import logging
import os
import sys
from typing import Any

import torch


def setup_cpu_distributed(cfg: Any) -> bool:
    """Make ``launcher='pytorch'`` work on a machine without CUDA (gloo backend).

    Call after the config is final and before ``Runner.from_cfg(cfg)``. Does nothing
    when CUDA is available, when the launcher is not ``pytorch``, or when a process
    group already exists.

    Args:
        cfg (mmengine.Config): The run's config; ``cfg.launcher`` is read and
            ``cfg.model_wrapper_cfg`` gets ``device_ids=None``.

    Returns:
        bool: True when a gloo process group was initialised here.
    """
    import torch.distributed as dist

    if cfg.get('launcher', 'none') != 'pytorch' or torch.cuda.is_available():
        return False
    if dist.is_available() and dist.is_initialized():
        return False
    missing = [
        k for k in ('RANK', 'WORLD_SIZE', 'MASTER_ADDR', 'MASTER_PORT') if k not in os.environ
    ]
    if missing:
        raise RuntimeError(
            f'--launcher pytorch needs the environment variables {missing} that torchrun '
            'sets; start the job with tools/dist_train.sh or torchrun.'
        )
    dist.init_process_group(backend='gloo', init_method='env://')
    cfg.setdefault('env_cfg', {}).setdefault('dist_cfg', {})['backend'] = 'gloo'  # as logged
    wrapper = dict(cfg.get('model_wrapper_cfg') or {})
    wrapper.setdefault('type', 'MMDistributedDataParallel')
    wrapper.setdefault('broadcast_buffers', False)
    wrapper.setdefault('find_unused_parameters', cfg.get('find_unused_parameters', False))
    wrapper['device_ids'] = None  # CPU modules take no device ids in DDP
    cfg.model_wrapper_cfg = wrapper
    return True


def patch_test_metrics_dump() -> bool:
    """Let only rank 0 run ``LoggerHook.after_test_epoch`` (the log line and the JSON).

    mmengine's hook dumps the test metrics to ``work_dir/<timestamp>/<timestamp>.json``
    on every rank; under ``tools/dist_test.sh`` two processes truncate and write the
    same file at once, and one CI run read it back as two JSON documents run together.
    The metrics are gathered, so rank 0's file is complete.
    """
    from mmengine import dist
    from mmengine.hooks import LoggerHook

    original = LoggerHook.after_test_epoch
    if getattr(original, 'avemo_rank0_only', False):
        return True

    def after_test_epoch(self, runner, metrics=None):
        if dist.get_rank() == 0:
            original(self, runner, metrics)

    after_test_epoch.avemo_rank0_only = True
    LoggerHook.after_test_epoch = after_test_epoch
    return True


def exit_distributed() -> None:
    """End a distributed tool's process cleanly once its work is done.

    Does nothing without a process group: a single-process run ends as usual. Under
    ``torchrun`` it waits for every rank, closes the process group, collects what the
    tool left behind (data-loader workers are shut down with their iterators), flushes
    the logs and the standard streams, and leaves with ``os._exit(0)``.

    Why not return: left to the interpreter's teardown, gloo's threads can abort a
    rank that has finished ("terminate called without an active exception",
    SIGABRT), which turns a good job into a failed one. Closing the group first made
    it rarer (1 run in 6 of ``tools/dist_test.sh`` on the CPU before, about 1 in 14
    after); skipping the teardown, where the C++ destructors of those threads run,
    removes it (``tools/analysis/repeat_dist_runs.py`` counts it).
    Call it last, after the function that held the runner has returned.
    """
    import torch.distributed as dist

    if not (dist.is_available() and dist.is_initialized()):
        return
    dist.barrier()
    dist.destroy_process_group()
    gc.collect()  # the runner's cycles: persistent data-loader workers stop here
    logging.shutdown()  # flushes and closes mmengine's log files
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)
