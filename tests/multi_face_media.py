"""A clip with two faces and one sound track: one face speaks, then the other."""

from avemo_mm.datasets.synthetic_talking_faces import write_talking_faces_clip

LEFT, RIGHT = (80, 120), (240, 120)  # face centres in the 320x240 frame


def write_two_face_clip(
    path: str, seconds: float = 6.0, swap_at: float = 3.0, fps: float = 25.0, seed: int = 0
) -> dict:
    """Two drawn faces; the left one speaks until ``swap_at`` s, the right one after.

    Returns the faces' centres and the swap time.
    """
    drawn = write_talking_faces_clip(path, (320, 240), 2, seconds, swap_at, fps, seed)
    assert drawn['centres'] == [LEFT, RIGHT]
    return dict(left=LEFT, right=RIGHT, swap_at=swap_at)
