"""init_model / inference_av / stream_predictions on generated clips and the tiny model."""

import warnings

import numpy as np
import pytest
from conftest import TINY_CONFIG, ravdess_clip

from avemo_mm.apis import inference_av, init_model, stream_predictions, window_spans
from avemo_mm.utils.av_writer import write_av_clip
from avemo_mm.utils.media import MediaError


@pytest.fixture(scope='module')
def model(tiny_avemo):
    return init_model(TINY_CONFIG, tiny_avemo['checkpoint'])


@pytest.fixture(scope='module')
def clips(ravdess_root, tmp_path_factory):
    """An audio-visual and a silent synthetic clip, and faceless / broken files."""
    out = tmp_path_factory.mktemp('inference_clips')
    rng = np.random.default_rng(0)
    flat = np.full((40, 64, 80, 3), 90, np.uint8)  # no face anywhere
    tone = 0.3 * np.sin(np.linspace(0, 2 * np.pi * 220 * 1.3, 48000 * 4 // 3))
    write_av_clip(str(out / 'no_face.mp4'), flat, fps=30, audio=tone)
    write_av_clip(str(out / 'no_face_no_audio.mp4'), flat, fps=30)
    write_av_clip(str(out / 'two_frames.mp4'), flat[:2], fps=30, audio=tone[:3200])
    (out / 'corrupt.mp4').write_bytes(rng.integers(0, 255, 5000, dtype=np.uint8).tobytes())
    return dict(
        av=ravdess_clip(ravdess_root),
        silent=ravdess_clip(ravdess_root, '02'),
        **{p.stem: str(p) for p in out.iterdir()},
    )


def test_window_spans_cover_the_clip_and_end_with_it():
    assert window_spans(100, 10.0, 4.0, 2.0) == [(0, 40), (20, 60), (40, 80), (60, 100)]
    assert window_spans(95, 10.0, 4.0, 2.0)[-1] == (55, 95)  # moved to end with the clip
    assert window_spans(30, 10.0, 4.0, 2.0) == [(0, 30)]  # shorter than one window
    with pytest.raises(ValueError, match='> 0'):
        window_spans(30, 10.0, 0, 2.0)


def test_model_takes_its_class_names_from_the_checkpoint(model):
    assert (
        model.dataset_meta['classes'][0] == 'neutral' and len(model.dataset_meta['classes']) == 8
    )
    assert 'polarities' in model.dataset_meta and not model.training


def test_whole_clip_and_timeline_predictions(model, clips):
    result = inference_av(model, clips['av'], window=1.0, hop=0.5)
    assert result.modality == 'audio-visual' and not result.notes
    assert result.video.face_detect_rate > 0.5
    scores = result.clip.scores
    assert scores.shape == (8,) and scores.sum() == pytest.approx(1.0, abs=1e-4)
    assert result.clip.top(3)[0][0] == result.clip.label and result.clip.embedding.shape == (64,)
    starts = [w.start for w in result.timeline]
    assert len(starts) >= 4 and starts == sorted(starts) and starts[0] == 0.0
    assert result.timeline[-1].end == pytest.approx(result.video.info.duration, abs=1e-6)
    # windows differ from each other: each sees its own frames and audio
    assert not np.allclose(result.timeline[0].scores, result.timeline[-1].scores)


def test_same_video_same_prediction(model, clips):
    # not bit-exact: the first H.264 encode in a process can differ slightly from later
    # ones of the same frames (measured with PyAV 16 / libx264)
    first = inference_av(model, clips['av']).clip.scores
    assert np.allclose(first, inference_av(model, clips['av']).clip.scores, atol=0.02)


def test_video_without_audio_runs_on_the_face_with_a_note(model, clips):
    with pytest.warns(UserWarning, match='no audio track'):
        result = inference_av(model, clips['silent'])
    assert result.modality == 'video' and any('face alone' in n for n in result.notes)
    with pytest.raises(MediaError, match="no audio track; use modality 'video'"):
        inference_av(model, clips['silent'], modality='audio-visual')


def test_asking_for_one_modality_ignores_the_other(model, clips):
    video_only = inference_av(model, clips['av'], modality='video').clip.scores
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        silent_file = inference_av(model, clips['silent'], modality='video').clip.scores
    assert video_only.shape == silent_file.shape
    both = inference_av(model, clips['av']).clip.scores
    assert not np.allclose(video_only, both)  # the audio mattered, and was dropped


def test_no_face_runs_on_the_voice_with_a_note(model, clips):
    with pytest.warns(UserWarning, match='no face detected'):
        result = inference_av(model, clips['no_face'])
    assert result.modality == 'audio' and result.video.face_detect_rate == 0.0


def test_nothing_to_recognise_too_short_or_broken_are_clear_errors(model, clips):
    with pytest.raises(MediaError, match='no audio track and no face'):
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')
            inference_av(model, clips['no_face_no_audio'])
    with pytest.raises(MediaError, match=r'two_frames.mp4: 2 frames .* at least 4 frames'):
        inference_av(model, clips['two_frames'])
    with pytest.raises(MediaError, match='corrupt.mp4'):
        inference_av(model, clips['corrupt'])


def test_stream_source_predicts_every_hop(model, clips):
    """A finished file read as a stream: every window, every hop, with the sound."""
    found = list(stream_predictions(model, clips['av'], window=1.0, hop=0.5))
    assert len(found) >= 3 and all(w.skipped == 0 for w in found)
    assert [w.start for w in found[:3]] == pytest.approx([0.0, 0.5, 1.0])
    for w in found:
        (face,) = w.faces
        assert len(face.prediction.scores) == 8 and w.latency_ms > 0
        assert face.prediction.modality == 'audio-visual'
    with pytest.raises(MediaError, match='missing: cannot open'):
        next(stream_predictions(model, clips['corrupt'] + '.missing'))
