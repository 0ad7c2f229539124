"""The annotated video: the prediction and the face box drawn on, the audio kept."""

import numpy as np

from avemo_mm.apis.results import Prediction, PreparedVideo, VideoResult
from avemo_mm.utils import probe_media, write_av_clip
from avemo_mm.visualization import draw_prediction, write_annotated_video


def test_the_box_and_the_classes_are_drawn():
    frame = np.zeros((120, 160, 3), np.uint8)
    drawn = draw_prediction(frame.copy(), np.array([80, 60, 40]), [('happy', 0.7), ('calm', 0.2)])
    assert (drawn[40:80, 60] == (0, 220, 0)).all(axis=1).any()  # the box's left edge
    assert drawn[:40, :80].max() == 255  # the text
    assert draw_prediction(frame.copy(), None, []).max() == 0  # nothing to draw


def test_the_video_keeps_its_frames_and_its_audio(tmp_path):
    source = str(tmp_path / 'in.mp4')
    tone = 0.3 * np.sin(np.arange(16000) / 10).astype(np.float32)
    write_av_clip(source, np.zeros((15, 64, 64, 3), np.uint8), audio=tone, sample_rate=16000)
    info = probe_media(source)
    prepared = PreparedVideo(source, info, source, np.tile([32, 32, 20], (15, 1)), 1.0, None)
    clip = Prediction(('calm', 'happy'), np.array([0.3, 0.7]), np.zeros(4), 0.0, 0.5)
    out = write_annotated_video(
        VideoResult(prepared, 'audio-visual', clip), str(tmp_path / 'o.mp4')
    )
    written = probe_media(out)
    assert written.num_frames == 15 and written.has_audio
