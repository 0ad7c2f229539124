"""Every face tracked under its own id, and the voice given to the face that speaks."""

import csv
import json

import numpy as np
import pytest
from conftest import TINY_CONFIG, TINY_VIDEO_CONFIG
from multi_face_media import write_two_face_clip

from avemo_mm.apis import (
    inference_all_faces,
    init_model,
    track_faces,
    write_tracks_json,
    write_windows_csv,
)
from avemo_mm.apis.speaking import audio_envelope, speaker_of, speaking_score


@pytest.fixture(scope='module')
def two_faces(tmp_path_factory):
    path = str(tmp_path_factory.mktemp('two_faces') / 'two.mp4')
    return path, write_two_face_clip(path, seconds=6.0, swap_at=3.0)


def test_both_faces_keep_their_ids_left_to_right(two_faces):
    path, truth = two_faces
    tracks, num_frames = track_faces(path, 25.0)
    assert num_frames == 150 and len(tracks) == 2
    for (first, boxes), centre in zip(tracks, (truth['left'], truth['right']), strict=True):
        assert first == 0 and len(boxes) == 150  # the whole clip, one id each
        assert np.abs(boxes[:, :2] - centre).max() < 8


def test_the_voice_goes_to_the_face_that_speaks(two_faces, tiny_avemo, tmp_path):
    path, truth = two_faces
    model = init_model(TINY_CONFIG, tiny_avemo['checkpoint'])
    faces = inference_all_faces(model, path, window=2.0, hop=1.0, work_dir=str(tmp_path))
    assert [f.id for f in faces] == [1, 2]
    left, right = faces
    assert [w.start for w in left.windows] == [0.0, 1.0, 2.0, 3.0, 4.0]
    for w_left, w_right in zip(left.windows, right.windows, strict=True):
        if w_left.end <= truth['swap_at']:  # the left face speaks
            assert (w_left.modality, w_right.modality) == ('audio-visual', 'video')
            assert w_left.speaking > w_right.speaking + 0.3
        elif w_left.start >= truth['swap_at']:  # the right face speaks
            assert (w_left.modality, w_right.modality) == ('video', 'audio-visual')
            assert w_right.speaking > w_left.speaking + 0.3
        for w in (w_left, w_right):
            assert abs(sum(w.scores) - 1) < 1e-4 and w.label in model.dataset_meta['classes']

    write_tracks_json(faces, str(tmp_path / 'out' / 'tracks.json'))
    tracks = json.loads((tmp_path / 'out' / 'tracks.json').read_text())['tracks']
    assert [t['id'] for t in tracks] == [1, 2] and len(tracks[0]['boxes']) == 150
    frame, x, y, w, h = tracks[1]['boxes'][0]
    assert frame == 0 and abs(x + w / 2 - truth['right'][0]) < 8 and w == h
    assert set(tracks[0]['windows'][0]) == {
        'start', 'end', 'label', 'scores', 'modality', 'speaking'
    }  # fmt: skip
    classes = model.dataset_meta['classes']
    write_windows_csv(faces, classes, str(tmp_path / 'out' / 'windows.csv'))
    rows = list(csv.DictReader(open(tmp_path / 'out' / 'windows.csv')))
    assert len(rows) == 10 and rows[0]['id'] == '1' and set(classes) <= set(rows[0])


def test_a_face_only_model_and_a_clip_without_sound_predict_every_face_on_the_face(
    two_faces, tiny_avemo, tmp_path
):
    path, _ = two_faces
    model = init_model(TINY_VIDEO_CONFIG, None)  # untrained weights: only the plumbing
    faces = inference_all_faces(model, path, window=3.0, hop=3.0, work_dir=str(tmp_path))
    assert len(faces) == 2 and all(w.modality == 'video' for f in faces for w in f.windows)


def test_speaking_score_and_the_clear_speaker():
    rng = np.random.default_rng(0)
    loud = np.clip(np.sin(np.linspace(0, 12 * np.pi, 100)), 0, None)
    moving = np.roll(loud, 2) + rng.normal(0, 0.05, 100)  # the mouth 2 frames late
    still = rng.normal(0, 0.05, 100)
    # noise meets the voice by chance at some lag, far below a mouth that follows it
    assert speaking_score(moving, loud, 25.0) > 0.9 > speaking_score(still, loud, 25.0) + 0.3
    assert speaking_score(np.zeros(100), loud, 25.0) == 0.0  # a frozen face
    assert speaker_of({1: 0.8, 2: 0.2}) == 1
    assert speaker_of({1: 0.8, 2: 0.75}) is None  # both move with the voice: no clear one
    assert speaker_of({1: 0.2}) is None and speaker_of({}) is None
    samples = np.concatenate([np.zeros(1600), np.ones(1600)])
    assert audio_envelope(samples, 16000, 10.0, 2).tolist() == [0.0, 1.0]
    with pytest.raises(ValueError, match='frames'):
        speaking_score(np.zeros(5), np.zeros(6), 25.0)


def test_the_demo_writes_tracks_windows_and_a_video_with_sound(two_faces, tiny_avemo, tmp_path):
    import av
    from conftest import REPO_ROOT, run_on_tiny, run_tool

    path, _ = two_faces
    out = run_on_tiny('tools/demo.py', tiny_avemo, path, '--all-faces', '--out-dir', str(tmp_path))
    assert '2 face(s) tracked' in out and '#2' in out and 'the voice' in out
    tracks = json.loads((tmp_path / 'tracks.json').read_text())['tracks']
    assert [t['id'] for t in tracks] == [1, 2]
    assert len(list(csv.DictReader(open(tmp_path / 'windows.csv')))) == 10
    with av.open(str(tmp_path / 'annotated.mp4')) as container:
        assert container.streams.audio and container.streams.video[0].frames == 150
    proc = run_tool(
        ['tools/demo.py', 'x.ts', TINY_CONFIG, 'x.pth', '--stream', '--option', 'follow'],
        REPO_ROOT,
    )
    assert proc.returncode == 2 and "--option takes KEY=VALUE, got 'follow'" in proc.stdout


def test_mouth_patch_reads_only_its_region_and_gives_the_whole_frames_values():
    import cv2

    from avemo_mm.apis.speaking import mouth_patch

    rng = np.random.default_rng(0)
    for _ in range(200):  # inside, across the edges and outside the frame
        height, width = rng.integers(20, 300, 2)
        frame = rng.integers(0, 255, (height, width, 3), dtype=np.uint8)
        centre = (float(rng.uniform(-50, width + 50)), float(rng.uniform(-50, height + 50)))
        side = float(rng.uniform(1, 200))
        grey = cv2.cvtColor(frame, cv2.COLOR_RGB2GRAY).astype(np.float32)
        whole = cv2.getRectSubPix(grey, (max(2, int(side)),) * 2, centre)
        expected = cv2.resize(whole, (32, 32), interpolation=cv2.INTER_AREA)
        assert np.abs(mouth_patch(frame, centre, side) - expected).max() < 0.01
