"""Play a recorded file out as a live stream, at its real rate, without re-encoding.

A stand-in for a camera's server when there is none: the file's packets are copied to
an FFmpeg output (HTTP served by FFmpeg itself with ``listen=1``, RTSP pushed to a
listener, a growing MPEG-TS file, HLS segments), each sent when its time comes. The
tests and ``tools/analysis/benchmark_live.py`` run it in a subprocess, since an RTSP
publisher and its reader in one process can block each other::

    python -m avemo_mm.utils.live_publisher clip.mp4 http://127.0.0.1:8090/live.ts \\
        --format mpegts --option listen=1
    python -m avemo_mm.utils.live_publisher clip.mp4 rtsp://127.0.0.1:8554/live \\
        --format rtsp --option rtsp_transport=tcp
    python -m avemo_mm.utils.live_publisher clip.mp4 growing.ts --format mpegts

``--drop-audio-after S`` stops sending the sound after ``S`` s, ``--drop-video-after S``
the pictures, and ``--stall-after S`` anything (the connection kept open), to check what
a reader does when a source loses its sound or its pictures, or stalls.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import sys
import time
import urllib.parse

import av


def publish(
    path: str,
    url: str,
    format: str | None = None,
    options: dict[str, str] | None = None,
    loops: int = 1,
    drop_audio_after: float | None = None,
    stall_after: float | None = None,
    connect_timeout: float = 20.0,
    drop_video_after: float | None = None,
) -> None:
    """Send ``path``'s audio and video packets to ``url`` at the file's own rate.

    Args:
        path (str): A recorded file (H.264 + AAC mp4, flv, mkv, ts).
        url (str): The output: a file, ``http://HOST:PORT/NAME`` with ``listen=1`` (served
            to the first client that asks for it; PyAV passes no protocol options to
            FFmpeg's own HTTP server, so this module serves it), ``rtsp://`` (pushed to
            a server or to a reader listening there).
        format (str, optional): FFmpeg's output format (``mpegts``, ``rtsp``, ``hls``,
            ``flv``); None guesses from ``url``.
        options (dict[str, str], optional): The output's FFmpeg options.
        loops (int): Times the file is played, one after the other. Defaults to ``1``.
        drop_audio_after (float, optional): Seconds after which no sound is sent.
        drop_video_after (float, optional): Seconds after which no pictures are sent.
        stall_after (float, optional): Seconds after which nothing is sent (the output
            stays open until the process is killed).
        connect_timeout (float): Seconds to keep trying to reach a server or a listener
            that is not up yet. Defaults to ``20``.
    """
    # a growing file grows as it goes; a stream that stops sending one modality goes on
    # sending the other at once, as a live source does, not 10 s later (FFmpeg's default)
    options = {'flush_packets': '1', 'max_interleave_delta': '100000', **(options or {})}
    drops = {'audio': drop_audio_after, 'video': drop_video_after}
    play = functools.partial(_play, path, loops, drops, stall_after)
    if url.startswith('http://') and options.pop('listen', None) == '1':
        _serve_http(url, format or 'mpegts', options, play)
        return
    output = _connect(url, format, options, connect_timeout)
    with output:
        play(output)


def _play(path, loops, drops, stall_after, output) -> None:
    """Mux ``path``'s packets into ``output``, each when its time comes."""
    with av.open(path) as source:
        streams = [*source.streams.video[:1], *source.streams.audio[:1]]
        targets = {s.index: output.add_stream_from_template(s) for s in streams}
    started, offset = time.monotonic(), 0.0
    for _ in range(loops):
        duration = 0.0
        with av.open(path) as source:
            for packet in source.demux([source.streams[i] for i in targets]):
                if packet.dts is None or packet.size == 0:
                    continue
                at = float(packet.pts * packet.time_base) if packet.pts is not None else 0.0
                duration = max(duration, at)
                moment = offset + at
                if stall_after is not None and moment >= stall_after:
                    while True:  # keep the connection, send nothing
                        time.sleep(1)
                dropped_after = drops[packet.stream.type]
                if dropped_after is not None and moment >= dropped_after:
                    continue
                delay = started + moment - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
                target = targets[packet.stream.index]
                shift = int(round(offset / packet.time_base))
                packet.pts = None if packet.pts is None else packet.pts + shift
                packet.dts = packet.dts + shift
                packet.stream = target
                output.mux(packet)
        offset += duration + 0.05


def _serve_http(url: str, format: str, options: dict, play) -> None:
    """Serve the stream over HTTP to the first client that asks for it."""
    address = urllib.parse.urlsplit(url)
    served = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the stdlib's name)
            served.append(self.path)
            self.send_response(200)
            self.send_header('Content-Type', 'video/mp2t' if format == 'mpegts' else 'video/x-flv')
            self.send_header('Connection', 'close')
            self.end_headers()
            try:
                with av.open(self.wfile, 'w', format=format, options=options) as output:
                    play(output)
            except (BrokenPipeError, ConnectionResetError, av.FFmpegError):
                pass  # the reader went away

        def log_message(self, *args) -> None:
            pass

    with http.server.HTTPServer((address.hostname, address.port), Handler) as server:
        while not served:  # a connection that asks for nothing (a port check) is no client
            server.handle_request()


def _connect(url, format, options, timeout):
    """Open the output, retrying while the server (or the listening reader) is not up."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return av.open(url, 'w', format=format, options=dict(options))
        except (av.FFmpegError, OSError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('path', help='recorded file')
    parser.add_argument('url', help='output file or URL')
    parser.add_argument('--format', help="FFmpeg's output format (mpegts, rtsp, hls, flv)")
    parser.add_argument(
        '--option', action='append', default=[], metavar='KEY=VALUE', help='output option'
    )
    parser.add_argument('--loops', type=int, default=1, help='times the file is played')
    parser.add_argument('--drop-audio-after', type=float, help='seconds, then no sound')
    parser.add_argument('--drop-video-after', type=float, help='seconds, then no pictures')
    parser.add_argument('--stall-after', type=float, help='seconds, then nothing at all')
    args = parser.parse_args(argv)
    for option in args.option:
        if '=' not in option:
            parser.error(f'--option takes KEY=VALUE, got {option!r}')
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    options = dict(option.split('=', 1) for option in args.option)
    publish(
        args.path,
        args.url,
        args.format,
        options,
        args.loops,
        args.drop_audio_after,
        args.stall_after,
        drop_video_after=args.drop_video_after,
    )
    return 0


if __name__ == '__main__':
    sys.exit(main())
