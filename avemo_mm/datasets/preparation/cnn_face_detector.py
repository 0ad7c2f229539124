"""Every face in a frame, from dlib's CNN face detector (MMOD; nothing is downloaded).

The network is Davis King's ``mmod_human_face_detector.dat`` (730 KB, trained on
photographs of faces in many poses and lights), run by dlib's CPU build (the
``dlib-bin`` wheel on Linux); the file comes inside the ``face-recognition-models``
package, both installed with avemo-mm. Where OpenCV's Haar cascades need a frontal face
in even light, this one keeps finding faces under side light, on dark or cluttered
scenes and at the frame's edge: as the preparation's second look on the realistic
synthetic corpus, faces in 93% of the frames against the permissive cascades' 66%, and
its hardest persons at 92-96% against 13-29%
(``docs/experiments/realistic-corpus-faces.md``). It costs about 50 times a
strict cascade, so the preparation asks it only where the strict cascade found too
little (``faces.py``'s second look)."""

from __future__ import annotations

import importlib.util
import os

import cv2
import numpy as np

from .face_detector import suppress_overlaps

MODEL_PACKAGE = 'face_recognition_models'
MODEL_FILE = os.path.join('models', 'mmod_human_face_detector.dat')
INSTALL_HINT = 'pip install dlib-bin==20.0.1.post1 face-recognition-models==0.3.0'


def model_path() -> str:
    """Where ``face-recognition-models`` keeps the MMOD network.

    Found without importing the package (its ``__init__`` imports ``pkg_resources``).
    """
    spec = importlib.util.find_spec(MODEL_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ImportError(
            f'the CNN face detector needs the {MODEL_PACKAGE} package ({INSTALL_HINT}); '
            "or choose the Haar cascades' second look (second_look='haar')"
        )
    path = os.path.join(spec.submodule_search_locations[0], MODEL_FILE)
    if not os.path.isfile(path):
        raise FileNotFoundError(f'{MODEL_PACKAGE} is installed without its model {path}')
    return path


class CnnFaceDetector:
    """All faces in an RGB frame, as boxes in the frame's pixels.

    Args:
        detect_width (int): The frame is brought down to at most this width first
            (the network's cost grows with the pixels). Defaults to ``320``.
        upsample (int): Times dlib doubles the image before looking: the network finds
            faces of about 80 px and more, 40 px after one doubling. Defaults to ``1``.
        min_confidence (float): Detections scored below this are dropped (dlib's own
            threshold is 0). Defaults to ``0.0``.
        box_scale (float): Each box is widened by this about its centre: the network's
            boxes are 0.78 times the side of the Haar cascade's on the same faces
            (measured, same centres), and the tracker's crop margin is set for those.
            Defaults to ``1.28``.
    """

    def __init__(
        self,
        detect_width: int = 320,
        upsample: int = 1,
        min_confidence: float = 0.0,
        box_scale: float = 1.28,
    ) -> None:
        try:
            import dlib
        except ImportError as error:
            raise ImportError(
                f'the CNN face detector needs dlib ({INSTALL_HINT}); '
                "or choose the Haar cascades' second look (second_look='haar')"
            ) from error
        self.network = dlib.cnn_face_detection_model_v1(model_path())
        self.detect_width = detect_width
        self.upsample = upsample
        self.min_confidence = min_confidence
        self.box_scale = box_scale

    def view(self, frame: np.ndarray) -> tuple[np.ndarray, float]:
        """The RGB image ``[y, x, 3]`` uint8 the network sees, and its scale."""
        height, width = frame.shape[:2]
        scale = min(1.0, self.detect_width / width)
        if scale < 1.0:
            frame = cv2.resize(frame, (int(width * scale), int(height * scale)))
        return np.ascontiguousarray(frame, dtype=np.uint8), scale

    def same_view(self, other: object) -> bool:
        """Whether :meth:`view` gives ``other``'s image of any frame."""
        return isinstance(other, CnnFaceDetector) and other.detect_width == self.detect_width

    def detect(self, frame: np.ndarray) -> np.ndarray:
        """Faces ``[F, 4]`` as ``(x, y, w, h)`` float64 in ``frame``'s pixels, largest first."""
        return self.detect_view(*self.view(frame))

    def detect_view(self, image: np.ndarray, scale: float) -> np.ndarray:
        """:meth:`detect` on an image from :meth:`view` (``scale`` its scale)."""
        found = self.network(image, self.upsample)
        boxes = np.array(
            [
                [d.rect.left(), d.rect.top(), d.rect.width(), d.rect.height()]
                for d in found
                if d.confidence >= self.min_confidence
            ],
            dtype=np.float64,
        ).reshape(-1, 4)
        boxes[:, :2] -= (self.box_scale - 1) / 2 * boxes[:, 2:]
        boxes[:, 2:] *= self.box_scale
        return suppress_overlaps(boxes) / scale
