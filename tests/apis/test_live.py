"""The live mode on real sources: lavfi camera + microphone, HTTP, RTSP, a growing file.

Everything is played at its real rate by a publisher subprocess on 127.0.0.1
(``tests/live_sources.py``) and read through FFmpeg's own clients, so these tests take
about the length of their clips.
"""

import socket
import sys
import threading
import time
import warnings

import numpy as np
import pytest
from conftest import REPO_ROOT
from live_sources import KINDS, published, write_flash_and_beep_clip
from multi_face_media import write_two_face_clip

from avemo_mm.apis import (
    InferenceWarning,
    LiveReader,
    LiveSource,
    init_model,
    stream_predictions,
)
from avemo_mm.utils.media import MediaError

TINY = f'{REPO_ROOT}/configs/avemo_tiny_ravdess.py'


@pytest.fixture(scope='module')
def model():
    return init_model(TINY)  # untrained: these tests are about time, ids and voices


@pytest.fixture(scope='module')
def flash_clip(tmp_path_factory):
    path = str(tmp_path_factory.mktemp('flash') / 'flash.mp4')
    write_flash_and_beep_clip(path, seconds=4.0, at=2.0)
    return path


@pytest.fixture(scope='module')
def two_faces(tmp_path_factory):
    path = str(tmp_path_factory.mktemp('two_faces') / 'two.mp4')
    return path, write_two_face_clip(path, seconds=6.0, swap_at=3.0)


@pytest.mark.parametrize('kind', KINDS)
def test_sound_and_pictures_of_a_window_are_the_same_stretch_of_time(kind, flash_clip, tmp_path):
    """The flash (frames) and the beep (samples) start at the same place in a cut window."""
    with published(flash_clip, kind, str(tmp_path)) as source:
        with LiveReader(source, read_timeout=5) as reader:
            deadline = time.monotonic() + 20
            while min(reader.video_end, reader.audio_end) < 3.0 and time.monotonic() < deadline:
                reader.wait(0.2)
            assert reader.live == (kind != 'file')
            cut = reader.window(1.5, 2.5, pictures=True, sound=True)
    frames = np.stack(cut.frames)
    assert frames.shape == (25, 64, 64, 3) and cut.audio.shape == (16000,)
    flash = np.argmax(frames.mean(axis=(1, 2, 3)) > 128) / 25  # seconds into the window
    loud = np.convolve(cut.audio**2, np.ones(160) / 160, mode='same') > 0.01
    beep = np.argmax(loud) / 16000
    # together, within a frame (the grid's slots, AAC's priming); where in the window
    # depends on the first frame the reader got (an RTSP push may lose the first two)
    assert flash == pytest.approx(beep, abs=0.045)
    assert 0.35 <= flash <= 0.55
    spectrum = np.abs(np.fft.rfft(cut.audio[8000:11000]))
    assert np.argmax(spectrum) * 16000 / 3000 == pytest.approx(1000, abs=10)


def test_a_camera_and_a_microphone_are_aligned_by_the_wall_clock():
    """Two lavfi inputs at their real rate, as a V4L2 camera and an ALSA microphone."""
    source = LiveSource(
        'testsrc=size=1280x720:rate=30,realtime',
        'lavfi',
        audio_url='sine=frequency=440:sample_rate=48000,arealtime',
        audio_format='lavfi',
    )
    with LiveReader(source) as reader:
        assert reader.live and reader.fps == 30
        while min(reader.video_end, reader.audio_end) < 2.0:
            reader.wait(0.2)
        assert abs(reader.video_end - reader.audio_end) < 0.25
        cut = reader.window(1.0, 2.0, pictures=True, sound=True)
    assert np.stack(cut.frames).shape == (30, 720, 1280, 3) and cut.audio.shape == (16000,)
    peak = np.argmax(np.abs(np.fft.rfft(cut.audio)))  # 1 Hz bins over 1 s
    assert peak == pytest.approx(440, abs=2)


@pytest.mark.parametrize('kind', ['rtsp', 'http'])
def test_every_face_keeps_its_id_and_the_voice_goes_to_the_one_that_speaks(
    kind, model, two_faces, tmp_path
):
    path, truth = two_faces
    with published(path, kind, str(tmp_path)) as source:  # every window: no timing here
        windows = list(stream_predictions(model, source, 2.0, 1.0, all_faces=True, live=False))
    assert [w.end for w in windows] == [2.0, 3.0, 4.0, 5.0, 6.0][: len(windows)]
    assert len(windows) >= 4  # an RTSP stream may lose its last frames when it closes
    for w in windows:
        assert [f.id for f in w.faces] == [1, 2]
        left, right = (f.box[0] + f.box[2] / 2 for f in w.faces)
        assert abs(left - truth['left'][0]) < 10 and abs(right - truth['right'][0]) < 10
    voice = 'audio-visual'
    speakers = [[f.id for f in w.faces if f.prediction.modality == voice] for w in windows]
    assert speakers[:2] == [[1], [1]]  # 0-2 s and 1-3 s: the left face speaks
    assert all(s == [2] for s in speakers[3:])  # from 3-5 s on: the right one


def test_a_slow_model_skips_stale_windows_instead_of_queuing_them(model, monkeypatch):
    """Inference 1.2 s, hop 0.4 s: the windows predicted are the newest, never late."""
    test_step = model.test_step

    def slow(data):
        time.sleep(1.2)
        return test_step(data)

    monkeypatch.setattr(model, 'test_step', slow)
    source = LiveSource('sine=frequency=200:sample_rate=16000,arealtime', 'lavfi')
    started = time.monotonic()
    windows = list(stream_predictions(model, source, window=1.0, hop=0.4, max_seconds=6.0))
    took = time.monotonic() - started
    assert sum(w.skipped for w in windows) >= 5
    assert len(windows) + sum(w.skipped for w in windows) == windows[-1].index + 1
    assert all(w.latency_ms < 1200 + 400 + 1000 for w in windows)  # no backlog: one
    assert took < 6.0 + 4.0  # inference, at most a hop of waiting, and slack for a busy CPU
    assert all(f.id is None and f.prediction.modality == 'audio' for w in windows for f in w.faces)


def test_a_source_that_loses_its_sound_goes_on_with_the_face(model, two_faces, tmp_path):
    path, _ = two_faces
    with published(path, 'http', str(tmp_path), '--drop-audio-after', '2.5') as source:
        windows = list(stream_predictions(model, source, window=2.0, hop=1.0, grace=1.0))
    notes = [n for w in windows for n in w.notes]
    assert any('the sound missing' in n for n in notes), notes
    assert windows[0].faces[0].prediction.modality == 'audio-visual'
    assert windows[-1].faces and windows[-1].faces[0].prediction.modality == 'video'
    assert windows[-1].end >= 5.0  # the pictures went on to the end


def test_a_source_that_loses_its_pictures_goes_on_with_the_voice(model, two_faces, tmp_path):
    path, _ = two_faces
    with published(path, 'http', str(tmp_path), '--drop-video-after', '2.5') as source:
        windows = list(stream_predictions(model, source, window=2.0, hop=1.0, grace=1.0))
    notes = [n for w in windows for n in w.notes]
    assert any('the pictures missing' in n for n in notes), notes
    assert windows[0].faces[0].prediction.modality == 'audio-visual'
    (voice,) = windows[-1].faces  # no face: the voice alone
    assert voice.id is None and voice.prediction.modality == 'audio'
    assert windows[-1].end >= 5.0  # the sound went on to the end


def test_a_stalled_source_ends_with_a_message(model, two_faces, tmp_path):
    path, _ = two_faces
    started = time.monotonic()
    with published(path, 'http', str(tmp_path), '--stall-after', '3') as source:
        with pytest.warns(InferenceWarning, match=r'live.ts: no data for 2 s \(stalled\)'):
            windows = list(stream_predictions(model, source, 2.0, 1.0, read_timeout=2))
    assert windows[0].end == 2.0 and windows[-1].end <= 3.0  # nothing after the stall
    assert time.monotonic() - started < 3 + 2 + 5  # the stall, the timeout, start-up


def test_sources_that_cannot_be_opened_are_named_and_bounded(model, tmp_path):
    with pytest.raises(MediaError, match='missing.mp4: cannot open'):
        next(stream_predictions(model, str(tmp_path / 'missing.mp4')))
    with socket.socket() as server:  # accepts, then says nothing (PyAV #584)
        server.bind(('127.0.0.1', 0))
        server.listen()
        held = []  # the accepted connection stays open
        threading.Thread(target=lambda: held.append(server.accept()), daemon=True).start()
        url = f'http://127.0.0.1:{server.getsockname()[1]}/live.ts'
        started = time.monotonic()
        with pytest.raises(MediaError, match=f'{url}: nothing answered within 2 s'):
            next(stream_predictions(model, url, open_timeout=2))
        assert time.monotonic() - started < 4


def test_the_guide_commands_parse():
    """Every command in docs/live.md is one the demo, the benchmark or the publisher takes."""
    sys.path[:0] = [f'{REPO_ROOT}/tools', f'{REPO_ROOT}/tools/analysis']
    import benchmark_live
    import demo

    from avemo_mm.utils import live_publisher

    page = open(f'{REPO_ROOT}/docs/live.md').read()
    block = page.split('```bash')[1].split('```')[0].replace('\\\n', ' ')
    commands = [line.split('  #')[0].split() for line in block.splitlines() if line.strip()]
    assert len(commands) == 7
    for words in commands:
        assert words[:2] == ['python', 'tools/demo.py']
        assert demo.parse_args(words[2:]).stream
    camera = demo.live_source(demo.parse_args(['0', 'CONFIG', 'CKPT', '--stream']))
    assert (camera.url, camera.format) == ('/dev/video0', 'v4l2')
    pair = demo.live_source(demo.parse_args(commands[5][2:]))  # camera + microphone
    assert (pair.format, pair.audio_url, pair.audio_format) == ('v4l2', 'default', 'alsa')
    rtsp = demo.live_source(demo.parse_args(commands[4][2:]))
    assert rtsp.options == {'rtsp_transport': 'tcp'}
    examples = demo.__doc__.split('Examples::')[1].split('Exit status')[0].replace('\\\n', ' ')
    for line in filter(str.strip, examples.splitlines()):
        words = line.split('  #')[0].split()
        assert words[:2] == ['python', 'tools/demo.py'] and demo.parse_args(words[2:])
    benchmark = page.split('`tools/analysis/benchmark_live.py ')[1].split('`')[0].split()
    assert benchmark_live.parse_args(benchmark).faces == [1, 3]
    for fragment in page.split('`python -m avemo_mm.utils.live_publisher ')[1:]:
        live_publisher.parse_args(fragment.split('`')[0].split())


def test_a_file_waits_for_a_slow_model_without_counting_a_stall(model, two_faces, monkeypatch):
    """Paced: the reader holds off while the model works, and that is no stall."""
    test_step = model.test_step

    def slow(data):
        time.sleep(3.0)  # longer than the watchdog's read timeout + 2 s
        return test_step(data)

    monkeypatch.setattr(model, 'test_step', slow)
    path, _ = two_faces
    with warnings.catch_warnings():
        warnings.simplefilter('error', InferenceWarning)  # a stall note would be one
        windows = list(stream_predictions(model, path, 4.0, 1.0, read_timeout=0.5))
    assert [w.end for w in windows] == [4.0, 5.0, 6.0]
    assert all(w.skipped == 0 for w in windows)


def test_a_jump_in_the_timestamps_goes_on_where_the_stream_was(model, two_faces, tmp_path):
    """A camera that restarts: its clock jumps 100 s at 3 s; the windows go on evenly."""
    import av

    path, _ = two_faces
    jumped = str(tmp_path / 'jumped.ts')
    with av.open(path) as source, av.open(jumped, 'w', format='mpegts') as output:
        streams = [source.streams.video[0], source.streams.audio[0]]
        targets = {s.index: output.add_stream_from_template(s) for s in streams}
        for packet in source.demux(streams):
            if packet.dts is None:
                continue
            if packet.dts * packet.time_base >= 3:  # decode order stays monotonic
                shift = int(100 / packet.time_base)
                packet.pts, packet.dts = packet.pts + shift, packet.dts + shift
            packet.stream = targets[packet.stream.index]
            output.mux(packet)
    windows = list(stream_predictions(model, jumped, 2.0, 1.0))
    notes = [n for w in windows for n in w.notes]
    assert any('timestamps jumped by +100.0 s' in n for n in notes), notes
    assert [w.end for w in windows] == [2.0, 3.0, 4.0, 5.0, 6.0]
    assert all(w.faces and w.faces[0].prediction.modality == 'audio-visual' for w in windows)


def test_faces_keep_their_ids_across_skipped_windows(model, two_faces, tmp_path, monkeypatch):
    test_step = model.test_step

    def slow(data):
        time.sleep(1.0)  # a face's prediction: 2 s a window for the two, hop 0.5 s
        return test_step(data)

    monkeypatch.setattr(model, 'test_step', slow)
    path, _ = two_faces
    with published(path, 'http', str(tmp_path)) as source:
        windows = list(stream_predictions(model, source, 2.0, 0.5, all_faces=True))
    assert len(windows) >= 2 and sum(w.skipped for w in windows) >= 3
    assert all([f.id for f in w.faces] == [1, 2] for w in windows)
