"""Real live sources on 127.0.0.1: a recorded clip played out by a publisher subprocess.

``published(clip, kind)`` (one of ``KINDS``) starts
``avemo_mm/utils/live_publisher.py`` in its own process (an RTSP publisher and its reader
in one process can block each other) and gives the :class:`LiveSource` that reads it:
FFmpeg's HTTP client, its HLS demuxer on a playlist that ``http.server`` serves (the
clips have one keyframe, so one segment: a playlist complete when it appears), its RTSP
client pulling from ``tests/rtsp_relay.py`` (a minimal RTSP server the publisher pushes
to, as to a media server), its RTSP demuxer listening for the push (``rtsp-listen``),
all over TCP, or a growing MPEG-TS file followed as it is written.
"""

import contextlib
import os
import os.path as osp
import socket
import subprocess
import sys
import time

import numpy as np

from avemo_mm.apis import LiveSource
from avemo_mm.utils import live_publisher
from avemo_mm.utils.av_writer import write_av_clip

QUIET = dict(stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
KINDS = ('file', 'growing', 'http', 'hls', 'rtsp', 'rtsp-listen')


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(('127.0.0.1', 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def published(clip: str, kind: str, work_dir: str, *extra: str):
    """Play ``clip`` out as ``kind`` at its real rate; yield the source that reads it.

    ``extra``: more publisher arguments (``--drop-audio-after 2``, ``--stall-after 2``).
    """
    if kind == 'file':
        yield LiveSource(clip)
        return
    port = free_port()
    helpers = []
    if kind == 'http':
        url = f'http://127.0.0.1:{port}/live.ts'
        args, source = [url, '--format', 'mpegts', '--option', 'listen=1'], LiveSource(url)
    elif kind == 'rtsp':  # a camera's or a media server's stream, pulled
        url = f'rtsp://127.0.0.1:{port}/live'
        args = [url, '--format', 'rtsp', '--option', 'rtsp_transport=tcp']
        source = LiveSource(url, options={'rtsp_transport': 'tcp'})
        relay = osp.join(osp.dirname(osp.abspath(__file__)), 'rtsp_relay.py')
        helpers.append(subprocess.Popen([sys.executable, relay, str(port)], **QUIET))
    elif kind == 'rtsp-listen':  # a stream pushed to the reader
        url = f'rtsp://127.0.0.1:{port}/live'
        args = [url, '--format', 'rtsp', '--option', 'rtsp_transport=tcp']
        source = LiveSource(url, options={'rtsp_flags': 'listen', 'rtsp_transport': 'tcp'})
    elif kind == 'hls':
        folder = osp.join(work_dir, f'hls_{port}')
        os.makedirs(folder)
        url = osp.join(folder, 'live.m3u8')
        args, source = [url, '--format', 'hls'], LiveSource(f'http://127.0.0.1:{port}/live.m3u8')
        server = [sys.executable, '-m', 'http.server', '--bind', '127.0.0.1', str(port)]
        helpers.append(subprocess.Popen([*server, '--directory', folder], **QUIET))
    elif kind == 'growing':
        url = osp.join(work_dir, f'growing_{port}.ts')
        args, source = [url, '--format', 'mpegts'], LiveSource(url, options={'follow': '1'})
    else:
        raise ValueError(kind)
    publisher = subprocess.Popen(
        [sys.executable, live_publisher.__file__, clip, *args, *extra],
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 20
        if kind in ('http', 'hls', 'rtsp'):  # until the publisher (the server) listens
            while time.monotonic() < deadline and not _listening(port):
                time.sleep(0.05)
        if kind in ('growing', 'hls'):  # until the file has its first packets
            while time.monotonic() < deadline and not (osp.exists(url) and os.stat(url).st_size):
                time.sleep(0.05)
        yield source
    finally:
        for process in (publisher, *helpers):
            process.kill()
            process.wait()


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(('127.0.0.1', port)) == 0


def write_flash_and_beep_clip(path: str, seconds: float = 4.0, at: float = 2.0) -> None:
    """Black frames and silence, except a white flash and a 1 kHz beep from ``at`` for
    0.2 s: where both fall in a cut window says whether the two line up."""
    fps, rate = 25, 48000
    frames = np.zeros((int(seconds * fps), 64, 64, 3), np.uint8)
    frames[int(at * fps) : int((at + 0.2) * fps)] = 255
    t = np.arange(int(seconds * rate)) / rate
    audio = np.where((t >= at) & (t < at + 0.2), 0.5 * np.sin(2 * np.pi * 1000 * t), 0.0)
    write_av_clip(path, frames, fps=fps, audio=audio.astype(np.float32), sample_rate=rate)
