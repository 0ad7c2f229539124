"""Aligning a face by its eyes: a tilted face comes out of the preparation upright."""

import os.path as osp

import cv2
import numpy as np
import pytest

from avemo_mm.datasets.preparation import FaceTracker, write_face_clip
from avemo_mm.datasets.preparation.face_alignment import EyeAligner, crop_rotated
from avemo_mm.datasets.preparation.faces import crop_square
from avemo_mm.datasets.synthetic_face import draw_face
from avemo_mm.utils import write_av_clip
from avemo_mm.utils.media import iter_video_frames

SIZE, CENTRE, SCALE = (480, 360), (240, 180), 2.2  # the drawn face's frame, centre, scale


def _tilted_clip(angle: float, frames: int = 12) -> list[np.ndarray]:
    """A shaded drawn face turned ``angle`` degrees (counter-clockwise as seen), with a
    fresh sensor noise per frame."""
    rng = np.random.default_rng(0)
    width, height = SIZE
    turn = cv2.getRotationMatrix2D(CENTRE, angle, 1.0)
    clip = []
    for _ in range(frames):
        noise = rng.normal(0, 6, (height, width, 1)).astype(np.float32)
        face = draw_face(height, width, CENTRE, SCALE, 0.3, 0.0, 0.8, 0.0, (200, 160, 140),
                         noise, shading=True)  # fmt: skip
        clip.append(cv2.warpAffine(face, turn, SIZE, borderMode=cv2.BORDER_REPLICATE))
    return clip


def _turn_to_upright(crop: np.ndarray, upright: np.ndarray) -> float:
    """The turn (degrees, counter-clockwise as seen, 1-degree steps) that best matches
    ``crop`` to the crop of the same face drawn upright: independent of the eye cascade
    the aligner uses."""
    grey, target = (
        cv2.cvtColor(c, cv2.COLOR_RGB2GRAY).astype(np.float32) for c in (crop, upright)
    )
    side = grey.shape[0]
    inner = slice(side // 5, side - side // 5)  # the face, not the replicated border
    scores = {}
    for turn in np.arange(-20.0, 20.5):
        matrix = cv2.getRotationMatrix2D((side / 2 - 0.5, side / 2 - 0.5), turn, 1.0)
        turned = cv2.warpAffine(grey, matrix, (side, side), borderMode=cv2.BORDER_REPLICATE)
        scores[turn] = np.corrcoef(turned[inner, inner].ravel(), target[inner, inner].ravel())[
            0, 1
        ]
    return max(scores, key=scores.get)


def _upright_crop(frame_index: int = 6, size: int = 128) -> np.ndarray:
    frames = _tilted_clip(0.0)
    boxes, _ = FaceTracker(detect_every=1).track(iter(frames))
    return crop_square(frames[frame_index], boxes[frame_index], size)


@pytest.mark.parametrize('angle', [-12.0, 10.0])
def test_the_eyes_give_the_roll_and_the_aligned_crop_is_upright(angle):
    frames = _tilted_clip(angle)
    boxes, rate = FaceTracker(detect_every=1).track(iter(frames))
    assert rate > 0.5  # the frontal cascade still finds a face tilted this much
    rolls = EyeAligner(detect_every=1).angles(iter(frames), boxes)
    # OpenCV turns counter-clockwise as seen: the eye line then falls to the right
    assert np.all(np.abs(rolls + angle) < 3), rolls
    upright = _upright_crop()
    plain = crop_square(frames[6], boxes[6], 128)
    assert abs(_turn_to_upright(plain, upright) + angle) <= 2  # as the boxes give it: tilted
    aligned = crop_rotated(frames[6], boxes[6], rolls[6], 128)
    assert abs(_turn_to_upright(aligned, upright)) <= 2  # aligned: upright


def test_crop_rotated_at_zero_is_the_plain_crop():
    frame = np.random.default_rng(1).integers(0, 255, (240, 320, 3), dtype=np.uint8)
    box = np.array([150.0, 110.0, 100.0])
    np.testing.assert_array_equal(crop_rotated(frame, box, 0.0, 64), crop_square(frame, box, 64))


def test_no_eyes_means_no_turn():
    blank = np.full((120, 160, 3), 90, np.uint8)
    boxes = np.tile([80.0, 60.0, 80.0], (5, 1))
    assert EyeAligner(detect_every=1).angles(iter([blank] * 5), boxes).tolist() == [0.0] * 5


def test_the_preparation_writes_upright_faces_from_a_tilted_video(tmp_path):
    video = str(tmp_path / 'tilted.mp4')
    write_av_clip(video, _tilted_clip(-12.0, frames=15), fps=15.0, crf=12)
    crops = {}
    for aligned in (False, True):
        out = str(tmp_path / f'face_{aligned}.mp4')
        aligner = EyeAligner() if aligned else None
        write_face_clip(video, out, 128, 15.0, FaceTracker(), crf=12, aligner=aligner)
        assert osp.isfile(out)
        crops[aligned] = list(iter_video_frames(out))
    upright = _upright_crop()
    turns = {k: np.median([_turn_to_upright(c, upright) for c in v]) for k, v in crops.items()}
    assert abs(turns[False] - 12) <= 2 and abs(turns[True]) <= 2, turns


def test_inference_aligns_a_users_video_as_the_preparation_does(tmp_path):
    """``prepare_video(align_eyes=True)`` (the demo's ``--align-eyes``) writes the same
    upright crops as the preparation with ``--align-eyes``."""
    from avemo_mm.apis.video_preparation import prepare_video

    video = str(tmp_path / 'tilted.mp4')
    write_av_clip(video, _tilted_clip(10.0, frames=15), fps=15.0, crf=12)
    prepared = prepare_video(video, 128, str(tmp_path), align_eyes=True)
    crops = list(iter_video_frames(prepared.face_clip))
    upright = _upright_crop()
    assert abs(np.median([_turn_to_upright(c, upright) for c in crops])) <= 2


def test_the_demo_aligns_only_one_face_of_a_file():
    import sys

    sys.path.insert(0, osp.join(osp.dirname(__file__), '..', '..', 'tools'))
    from demo import parse_args

    assert parse_args(['v.mp4', 'c.py', 'k.pth', '--align-eyes']).align_eyes
    with pytest.raises(SystemExit):
        parse_args(['v.mp4', 'c.py', 'k.pth', '--align-eyes', '--all-faces'])
