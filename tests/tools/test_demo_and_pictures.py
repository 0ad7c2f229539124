"""tools/demo.py and tools/analysis/plot_results.py run as a user types them."""

import csv
import json
import re

from conftest import REPO_ROOT, TINY_CONFIG, assert_ok, ravdess_clip, run_on_tiny, run_tool
from live_sources import published
from multi_face_media import write_two_face_clip

from avemo_mm.utils.media import probe_media

PNG_MAGIC = b'\x89PNG\r\n\x1a\n'


def test_demo_prints_top_emotions_and_writes_timeline_and_annotated_video(
    tiny_avemo, ravdess_root, tmp_path
):
    video = ravdess_clip(ravdess_root)
    out = run_on_tiny(
        'tools/demo.py', tiny_avemo, video, '--window', '1', '--hop', '0.5',
        '--timeline', str(tmp_path / 'timeline.csv'),
        '--timeline-plot', str(tmp_path / 'timeline.png'),
        '--out-video', str(tmp_path / 'annotated.mp4'),
    )  # fmt: skip
    assert re.search(r'top emotions: \w+ [0-9.]+%, \w+ [0-9.]+%, \w+ [0-9.]+%', out)
    assert 'inputs: audio-visual' in out and 'x real time' in out
    with open(tmp_path / 'timeline.csv') as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) >= 4 and {'start', 'end', 'label', 'neutral', 'surprised'} <= set(rows[0])
    assert abs(sum(float(rows[0][c]) for c in list(rows[0])[3:]) - 1) < 1e-3
    assert (tmp_path / 'timeline.png').read_bytes()[:8] == PNG_MAGIC
    source, annotated = probe_media(video), probe_media(str(tmp_path / 'annotated.mp4'))
    assert annotated.num_frames == source.num_frames and annotated.has_audio
    assert abs(annotated.audio_duration - source.audio_duration) < 0.1


def test_demo_explains_unusable_input_in_one_line(tiny_avemo, tmp_path):
    bad = tmp_path / 'holiday.mp4'
    bad.write_bytes(b'not a video at all' * 100)
    proc = run_tool(['tools/demo.py', str(bad), TINY_CONFIG, tiny_avemo['checkpoint']], REPO_ROOT)
    assert proc.returncode == 1
    assert re.search(r'demo: .*holiday.mp4: cannot open', proc.stdout)
    assert 'Traceback' not in proc.stdout


def test_demo_follows_every_face_of_a_live_http_stream(tiny_avemo, tmp_path):
    clip = str(tmp_path / 'two.mp4')
    write_two_face_clip(clip, seconds=6.0, swap_at=3.0)
    with published(clip, 'http', str(tmp_path)) as source:
        out = run_on_tiny(
            'tools/demo.py', tiny_avemo, source.url, '--stream', '--all-faces',
            '--max-seconds', '4', '--out-dir', str(tmp_path / 'live'),
        )  # fmt: skip
    assert 'reading sound and pictures through PyAV' in out
    shown = re.findall(r'^\s+[0-9.]+-\s*[0-9.]+ s\s+#1 \w+ \d+% .* #2 \w+ \d+%', out, re.M)
    lines = (tmp_path / 'live' / 'live.jsonl').read_text().splitlines()
    assert len(shown) == len(lines) == 3  # windows ending at 2, 3 and 4 s
    for line in lines:
        window = json.loads(line)
        assert [face['id'] for face in window['faces']] == [1, 2]
        assert window['latency_ms'] > 0 and len(window['faces'][0]['scores']) == 8
    # when the run ends: the tracks, their windows, and the recording annotated
    tracks = json.loads((tmp_path / 'live' / 'tracks.json').read_text())['tracks']
    assert [t['id'] for t in tracks] == [1, 2]
    for track, centre in zip(tracks, (80, 240), strict=True):
        assert [b[0] for b in track['boxes']] == list(range(100))  # every frame of 0-4 s
        assert all(abs(x + w / 2 - centre) < 10 for _, x, _, w, _ in track['boxes'])
        assert len(track['windows']) == 3
    assert len(list(csv.DictReader(open(tmp_path / 'live' / 'windows.csv')))) == 6
    for name in ('recording.mkv', 'annotated.mp4'):
        info = probe_media(str(tmp_path / 'live' / name))
        assert info.has_audio and info.num_frames >= 100, name


def test_plot_results_draws_every_picture_and_agrees_with_the_test_tool(tiny_avemo, tmp_path):
    out = assert_ok(
        run_tool(
            [
                'tools/analysis/plot_results.py',
                TINY_CONFIG,
                tiny_avemo['checkpoint'],
                '--out-dir',
                str(tmp_path / 'pictures'),
                '--cfg-options',
                *tiny_avemo['options'],
            ],
            REPO_ROOT,
        )
    )
    names = [
        'confusion_matrix',
        'tsne_classes',
        'tsne_polarity',
        'attention_spatial',
        'attention_temporal',
    ]
    for name in names:
        data = (tmp_path / 'pictures' / f'{name}.png').read_bytes()
        assert data[:8] == PNG_MAGIC and len(data) > 5000, name
    metrics = json.loads((tmp_path / 'pictures' / 'metrics.json').read_text())
    fusion = metrics['fusion']  # what the cross-modal attention did on the test clips
    assert abs(fusion['uniform_weight'] - 1 / 6) < 1e-9
    assert fusion['uniform_weight'] - 1e-6 <= fusion['attention_max_weight'] <= 1
    assert 0 <= fusion['tanh_saturated_audio'] <= 1 and 0 <= fusion['tanh_saturated_video'] <= 1
    assert 0 <= fusion['snippet_share_audio'] <= 1 and 0 <= fusion['snippet_share_video'] <= 1
    assert {'cross_gate_audio', 'cross_gate_video'} <= set(fusion)  # g_A, g_V as trained
    test = run_on_tiny('tools/test.py', tiny_avemo, '--work-dir', str(tmp_path / 'test'))
    war = float(re.findall(r'Epoch\(test\).*?WAR: ([0-9.]+)', test)[-1])
    assert abs(metrics['WAR'] - war) < 1e-4 and sum(map(sum, metrics['confusion_matrix'])) == 15
    assert f'WAR {metrics["WAR"]:.1%}' in out
