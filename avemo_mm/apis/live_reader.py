"""Sound and pictures of a live source, read together through PyAV, indexed by time.

One reader serves a finished file, a file still being written (``follow=1``), HTTP,
HLS, RTSP and, on Linux, a V4L2 camera beside an ALSA microphone (a second input for
the sound). Each input is demuxed and decoded in its own thread: video frames go on
the constant frame grid (:class:`~avemo_mm.utils.frame_grid.FrameGrid`), the sound is
made mono and resampled to the model's rate, and both are kept, with the wall-clock
time each part arrived, for the last ``keep`` seconds. :meth:`LiveReader.window`
cuts the same stretch of time out of both.

Times: stream time 0 is the first video frame. Within one input, sound and pictures
share the container's clock; with two inputs (a camera and a microphone), each input's
clock is pinned to the wall clock at the arrival of its first frame.

A finished file is read *paced*: the reader waits for the consumer, so every window is
predicted. Any other source is *live*: the reader never waits, and what the consumer
has not taken in time is dropped (the consumer skips stale windows instead of queuing
them, :func:`~avemo_mm.apis.stream_predictions`).
"""

from __future__ import annotations

import errno
import os.path as osp
import threading
import time
from dataclasses import dataclass, field

import av
import numpy as np

from ..utils.frame_grid import FrameGrid
from ..utils.media import MediaError, _mono_float

MAX_JUMP = 5.0  # seconds a source's timestamps may jump before they count as a restart


@dataclass
class LiveSource:
    """Where to read from, in FFmpeg's terms.

    Attributes:
        url (str): A file, ``http(s)://``, an ``.m3u8`` playlist, ``rtsp://``, a device
            (``/dev/video0`` with ``format='v4l2'``), or a ``lavfi`` graph.
        format (str, optional): FFmpeg's input format (``v4l2``, ``alsa``, ``lavfi``,
            ``avfoundation``, ``dshow``, ...); None lets FFmpeg guess.
        options (dict[str, str]): FFmpeg options for the input (``rtsp_transport=tcp``,
            ``follow=1``, ``video_size=1280x720``, ...).
        audio_url (str, optional): A second input for the sound (an ALSA device such as
            ``default`` or ``hw:1``, or any source); None takes the sound from ``url``.
        audio_format (str, optional): Its input format (``alsa``).
        audio_options (dict[str, str]): Its FFmpeg options.
    """

    url: str
    format: str | None = None
    options: dict[str, str] = field(default_factory=dict)
    audio_url: str | None = None
    audio_format: str | None = None
    audio_options: dict[str, str] = field(default_factory=dict)

    @property
    def is_finished_file(self) -> bool:
        """A local file read to its end (not followed while it grows): paced, not live."""
        return (
            self.format is None
            and self.audio_url is None
            and osp.isfile(self.url)
            and self.options.get('follow') != '1'
        )

    def __str__(self) -> str:
        return self.url if self.audio_url is None else f'{self.url} + {self.audio_url}'


@dataclass
class Window:
    """One stretch of stream time cut from both modalities.

    Attributes:
        start (float): Seconds of stream time (0 at the first video frame).
        end (float): Seconds of stream time.
        first_slot (int): The frame-grid index of ``frames[0]``.
        frames (list[np.ndarray] | None): ``L`` frames ``[Y, X, 3]`` uint8 RGB on the frame
            grid (the reader's own arrays: read them, do not write); None when the
            pictures are missing for this stretch.
        audio (np.ndarray | None): ``[S]`` float32 mono at the reader's sample rate;
            None when the sound is missing for this stretch.
        arrived (float): ``time.monotonic()`` when its last part arrived.
    """

    start: float
    end: float
    first_slot: int
    frames: list[np.ndarray] | None
    audio: np.ndarray | None
    arrived: float


class _Pictures:
    """The frame grid's slots kept for the last seconds, with when each was closed."""

    def __init__(self, fps: float) -> None:
        self.grid = FrameGrid(fps)
        self.first = 0  # grid index of frames[0]
        self.frames: list[np.ndarray] = []
        self.arrived: list[float] = []

    @property
    def end(self) -> float:
        """Stream seconds covered so far."""
        return (self.first + len(self.frames)) / self.grid.fps

    def add(self, closed: list[np.ndarray], now: float) -> None:
        self.frames += closed
        self.arrived += [now] * len(closed)

    def drop_before(self, slot: int) -> None:
        cut = max(0, min(slot - self.first, len(self.frames)))
        del self.frames[:cut], self.arrived[:cut]
        self.first += cut


class _Sound:
    """Mono samples at one rate, kept for the last seconds, indexed by source time."""

    def __init__(self, sample_rate: int) -> None:
        self.rate = sample_rate
        self.start: float | None = None  # the source time of chunks[0][0]
        self.chunks: list[np.ndarray] = []
        self.ends: list[float] = []  # source time each chunk ends at
        self.arrived: list[float] = []

    @property
    def end(self) -> float | None:
        return self.ends[-1] if self.ends else self.start

    def add(self, samples: np.ndarray, at: float | None, now: float) -> None:
        """Append a chunk that starts at source time ``at`` (None: right after the last)."""
        if self.start is None:
            self.start = 0.0 if at is None else at
        elif at is not None and self.end is not None:
            gap = int(round((at - self.end) * self.rate))
            if gap > self.rate // 10:  # lost packets: silence keeps the times right
                samples = np.concatenate([np.zeros(gap, np.float32), samples])
            elif gap < -self.rate // 10:  # overlap (a timestamp jump back): skip it
                samples = samples[min(len(samples), -gap) :]
        if not len(samples):
            return
        self.chunks.append(samples)
        self.ends.append((self.end or 0.0) + len(samples) / self.rate)
        self.arrived.append(now)

    def cut(self, begin: float, end: float) -> tuple[np.ndarray, float] | None:
        """Samples of source times ``[begin, end)`` and when the last of them arrived;
        None unless all of them are here (zeros before the sound began)."""
        if self.start is None or self.end is None or self.end < end:
            return None
        stop = next(i for i, e in enumerate(self.ends) if e >= end)
        samples = np.concatenate(self.chunks[: stop + 1]) if self.chunks else np.zeros(0)
        first = int(round((begin - self.start) * self.rate))
        length = int(round((end - begin) * self.rate))
        if first < 0:
            samples = np.concatenate([np.zeros(-first, np.float32), samples])
            first = 0
        return samples[first : first + length].astype(np.float32), self.arrived[stop]

    def drop_before(self, t: float) -> None:
        while len(self.ends) > 1 and self.ends[0] < t:
            self.start = self.ends.pop(0)
            self.chunks.pop(0)
            self.arrived.pop(0)


class LiveReader:
    """Read a :class:`LiveSource` in background threads; cut windows of both modalities.

    Args:
        source (LiveSource): What to read.
        sample_rate (int): The sound's rate for the model. Defaults to ``16000``.
        fps (float, optional): The frame grid's rate; None takes the video stream's
            (25 when it does not say).
        live (bool, optional): Never wait for the consumer (a live source); None
            decides by the source (:attr:`LiveSource.is_finished_file` is paced).
        open_timeout (float): Seconds to open an input. Defaults to ``10``.
        read_timeout (float): Seconds a read may wait for data before the source
            counts as stalled. Defaults to ``5``.
        keep (float): Seconds of both modalities kept; a paced reader reads at most
            ``keep - 1`` s beyond what the consumer no longer needs. Defaults to ``30``.
        record (str, optional): Write the first input's packets, as received, to this
            Matroska file (no re-encoding; the second input of a camera + microphone
            pair is not in it). Defaults to ``None``.

    Raises:
        MediaError: An input cannot be opened in time, or has neither video nor audio.
    """

    def __init__(
        self,
        source: LiveSource,
        sample_rate: int = 16000,
        fps: float | None = None,
        live: bool | None = None,
        open_timeout: float = 10.0,
        read_timeout: float = 5.0,
        keep: float = 30.0,
        record: str | None = None,
    ) -> None:
        self.source = source
        self.live = not source.is_finished_file if live is None else live
        self.read_timeout, self.keep = read_timeout, keep
        self.messages: list[str] = []  # what happened to the source, in order
        self._changed = threading.Condition()
        self._consumed_until = 0.0  # paced: stream seconds the consumer no longer needs
        self._stopping = False
        self._last_data = time.monotonic()
        timeouts = (open_timeout, read_timeout)
        main = _open(source.url, source.format, source.options, timeouts)
        inputs = [main]
        video = main.streams.video[0] if main.streams.video else None
        if source.audio_url is not None:
            try:
                extra = _open(
                    source.audio_url, source.audio_format, source.audio_options, timeouts
                )
            except MediaError:
                main.close()
                raise
            inputs.append(extra)
            audio = extra.streams.audio[0] if extra.streams.audio else None
        else:
            audio = main.streams.audio[0] if main.streams.audio else None
        if video is None and audio is None:
            for container in inputs:
                container.close()
            raise MediaError(f'{source}: neither a video nor an audio stream')
        rate = fps or (float(video.average_rate or video.guessed_rate or 0) if video else 0)
        self.fps = rate if 1 <= rate <= 240 else 25.0
        self.has_video, self.has_audio = video is not None, audio is not None
        self.pictures = _Pictures(self.fps) if video is not None else None
        self.sound = _Sound(sample_rate) if audio is not None else None
        self.video_ended = video is None
        self.audio_ended = audio is None
        self._two_inputs = len(inputs) > 1
        self._clock_offset: dict[int, float] = {}
        self._resampler = (
            av.AudioResampler(format='flt', layout='mono', rate=sample_rate) if audio else None
        )
        self._recorder, self._recorded, self._recording_from = None, {}, main
        if record is not None:
            self._start_recording(record, main, [s for s in (video, audio) if s is not None])
        self._threads = []
        for container in inputs:
            streams = [s for s in (video, audio) if s is not None and s.container is container]
            thread = threading.Thread(
                target=self._read, args=(container, streams), daemon=True, name='avemo-live'
            )
            self._threads.append(thread)
        self.started = time.monotonic()
        for thread in self._threads:
            thread.start()
        if not self.has_audio:
            self.messages.append(f'{source}: no audio stream: the face alone')
        if not self.has_video:
            self.messages.append(f'{source}: no video stream: the voice alone')

    # -- reading (background threads) ------------------------------------------------

    def _read(self, container, streams) -> None:
        what = {s.type for s in streams}
        ended = f'{self.source}: the source ended'
        try:
            try:
                for packet in container.demux(streams):
                    if self._stopping:
                        return
                    if packet.size == 0:  # empty (RTP video can come so): no flush mid-way
                        continue
                    for frame in packet.decode():
                        self._take(container, packet.stream.type, frame)
                    self._record(packet)
            except av.ExitError:  # PyAV's read timeout
                self._note(f'{self.source}: no data for {self.read_timeout:g} s (stalled)')
                return
            except (av.FFmpegError, OSError) as err:
                if getattr(err, 'errno', None) != errno.EIO:
                    self._note(f'{self.source}: reading failed ({err})')
                    return
                ended = f'{self.source}: the connection closed'  # a live HTTP stream's end
            for stream in streams:  # the frames the decoders still hold
                for frame in stream.codec_context.decode(None):
                    frame.time_base = stream.time_base  # as a packet's decode sets it
                    self._take(container, stream.type, frame)
            self._flush()
            self._note(ended)
        except Exception as err:  # never a silent death of the thread
            self._note(f'{self.source}: reading stopped ({type(err).__name__}: {err})')
        finally:
            with self._changed:
                self.video_ended |= 'video' in what
                self.audio_ended |= 'audio' in what
                self._changed.notify_all()
            if container is self._recording_from:
                self._stop_recording()
            container.close()

    def _start_recording(self, path: str, container, streams) -> None:
        try:
            self._recorder = av.open(path, 'w', format='matroska')
            for stream in streams:
                if stream.container is container:
                    self._recorded[stream.index] = self._recorder.add_stream_from_template(stream)
        except (av.FFmpegError, OSError, ValueError) as err:
            self._recorder = None
            self.messages.append(f'{self.source}: not recorded to {path} ({err})')

    def _record(self, packet) -> None:
        """Copy a packet that was just decoded into the recording (its own thread only)."""
        if self._recorder is None or packet.stream.container is not self._recording_from:
            return
        target = self._recorded.get(packet.stream.index)
        if target is None or packet.dts is None:
            return
        try:
            packet.stream = target
            self._recorder.mux(packet)
        except (av.FFmpegError, ValueError) as err:  # e.g. timestamps going backwards
            self._note(f'{self.source}: recording stopped ({err})')
            self._stop_recording()

    def _stop_recording(self) -> None:
        recorder, self._recorder = self._recorder, None
        if recorder is not None:
            recorder.close()

    def _take(self, container, kind: str, frame) -> None:
        now = time.monotonic()
        when = self._time_of(container, kind, frame.time, now)
        if kind == 'video':
            image = frame.to_ndarray(format='rgb24')  # outside the lock: the slow part
        else:
            chunks = [_mono_float(f) for f in self._resampler.resample(frame)]
            samples = np.concatenate(chunks) if chunks else np.zeros(0, np.float32)
        with self._changed:  # one hold of the lock a frame
            self._wait_for_consumer()
            if kind == 'video':
                self.pictures.add(self.pictures.grid.push(image, when), now)
            else:
                self.sound.add(samples, when, now)
            self._last_data = now
            self._forget_old()
            self._changed.notify_all()

    def _time_of(self, container, kind: str, source_time: float | None, now: float):
        """A frame's time on the reader's clock (None: it has none).

        One input: its own clock (sound and pictures share it). Two inputs (a camera and a
        microphone): each clock pinned to wall-clock time at its first frame, so both count
        seconds since the reader started. A jump of more than ``MAX_JUMP`` seconds from
        where the stream was (a camera that restarts, a wrapped clock) moves the input's
        clock so that the stream goes on where it was, with a note.
        """
        if source_time is None:
            return None
        key = id(container)
        if key not in self._clock_offset:
            pinned = (now - self.started) - source_time if self._two_inputs else 0.0
            self._clock_offset[key] = pinned
        when = source_time + self._clock_offset[key]
        if kind == 'video':
            grid = self.pictures.grid
            expected = None if grid.start is None else grid.start + grid.next_slot / self.fps
        else:
            expected = self.sound.end
        if expected is not None and abs(when - expected) > MAX_JUMP:
            self._clock_offset[key] += expected - when
            self._note(
                f'{self.source}: its {kind} timestamps jumped by {when - expected:+.1f} s; '
                'going on from where it was'
            )
            when = expected
        return when

    def _flush(self) -> None:
        with self._changed:
            if self.pictures is not None and self.pictures.grid.start is not None:
                self.pictures.add(self.pictures.grid.finish(), time.monotonic())
            self._changed.notify_all()

    def _wait_for_consumer(self) -> None:
        """Paced reading: hold off while the buffer is ``keep`` seconds ahead (lock held)."""
        while not self.live and not self._stopping and self._ahead() > self.keep - 1.0:
            self._changed.wait(0.5)

    def _ahead(self) -> float:
        ends = [self.pictures.end] if self.pictures is not None else []
        if self.sound is not None and self.sound.end is not None:
            ends.append(self.sound.end - self._video_zero())
        return (max(ends) if ends else 0.0) - self._consumed_until

    def _forget_old(self) -> None:
        newest = self.pictures.end if self.pictures is not None else 0.0
        if self.sound is not None and self.sound.end is not None:
            newest = max(newest, self.sound.end - self._video_zero())
        oldest = newest - self.keep if self.live else self._consumed_until - 1.0
        if self.pictures is not None:
            self.pictures.drop_before(int(oldest * self.fps))
        if self.sound is not None:
            self.sound.drop_before(oldest + self._video_zero())

    def _note(self, message: str) -> None:
        with self._changed:
            self.messages.append(message)
            self._changed.notify_all()

    # -- the consumer's side ---------------------------------------------------------

    def _video_zero(self) -> float:
        """The source time of stream time 0: the first video frame (else the first sound)."""
        if self.pictures is not None and self.pictures.grid.start is not None:
            return self.pictures.grid.start
        if self.pictures is None and self.sound is not None and self.sound.start is not None:
            return self.sound.start
        return 0.0

    @property
    def video_end(self) -> float:
        """Stream seconds of pictures received (0 before the first frame)."""
        return self.pictures.end if self.pictures is not None else 0.0

    @property
    def audio_end(self) -> float:
        """Stream seconds of sound received."""
        if self.sound is None or self.sound.end is None:
            return 0.0
        if self.pictures is not None and self.pictures.grid.start is None:
            return 0.0  # no time origin yet
        return self.sound.end - self._video_zero()

    @property
    def ended(self) -> bool:
        return self.video_ended and self.audio_ended

    @property
    def stalled_for(self) -> float:
        """Seconds since any data arrived."""
        return time.monotonic() - self._last_data

    def wait(self, timeout: float) -> None:
        """Until something arrives or ends, at most ``timeout`` seconds."""
        with self._changed:
            self._changed.wait(timeout)

    def consumed(self, until: float) -> None:
        """Tell a paced reader that stream time before ``until`` is no longer needed."""
        with self._changed:
            self._consumed_until = max(self._consumed_until, until)
            if not self.live:  # a paced reader waited for this: no stall until now
                self._last_data = time.monotonic()
            self._changed.notify_all()

    def window(self, start: float, end: float, pictures: bool, sound: bool) -> Window:
        """Cut stream time ``[start, end)`` out of the modalities asked for.

        A modality asked for but not (yet) there for the whole stretch comes back None.
        """
        with self._changed:
            frames, first, arrived = None, int(round(start * self.fps)), []
            if pictures and self.pictures is not None:
                stop = first + int(round((end - start) * self.fps))  # a window's frame count
                lo, hi = first - self.pictures.first, stop - self.pictures.first
                if lo >= 0 and hi <= len(self.pictures.frames) and hi > lo:
                    frames = self.pictures.frames[lo:hi]  # no copy: 4 s of 720p is 330 MB
                    arrived.append(self.pictures.arrived[hi - 1])
            audio = None
            if sound and self.sound is not None:
                zero = self._video_zero()
                cut = self.sound.cut(start + zero, end + zero)
                if cut is not None:
                    audio, when = cut
                    arrived.append(when)
        return Window(start, end, first, frames, audio, max(arrived, default=time.monotonic()))

    def close(self) -> None:
        """Stop the threads (they close their inputs) and wait for them briefly."""
        with self._changed:
            self._stopping = True
            self._changed.notify_all()
        for thread in self._threads:
            thread.join(timeout=self.read_timeout + 1)

    def __enter__(self) -> LiveReader:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _open(url: str, format: str | None, options: dict[str, str], timeouts: tuple):
    """``av.open`` with timeouts; a clear error naming the source."""
    options = dict(options)
    if options.get('follow') == '1':
        # a growing file: FFmpeg would seek to its end to find the duration, and wait there
        options.setdefault('seekable', '0')
    try:
        return av.open(url, format=format, options=options, timeout=timeouts)
    except av.ExitError as err:
        raise MediaError(f'{url}: nothing answered within {timeouts[0]:g} s ({err})') from err
    except (av.FFmpegError, OSError, ValueError) as err:
        raise MediaError(f'{url}: cannot open ({err})') from err
