"""Run a trained model without PyTorch: an ONNX file, its sidecar and ONNX Runtime.

``tools/deployment/export_onnx.py`` (:mod:`avemo_mm.deploy.onnx_export`, which needs
PyTorch) writes ``NAME.onnx`` and ``NAME.json``; :class:`OnnxRecognizer` loads the
pair and plugs into the inference API (``inference_av``, ``inference_all_faces``,
``stream_predictions``) and ``tools/demo.py --onnx`` with numpy, OpenCV and PyAV alone.
``docs/deployment.md`` says what to install and copy.
"""

from .onnx_recognizer import OnnxRecognizer
from .sidecar import SIDECAR_FORMAT, DeployError, read_sidecar, sha256_of

__all__ = ['DeployError', 'OnnxRecognizer', 'SIDECAR_FORMAT', 'read_sidecar', 'sha256_of']
