"""The docs build as a site, strictly: any Sphinx warning (a broken reference, a
docstring autodoc cannot read, a page in no table of contents) fails."""

import subprocess
import sys

from conftest import REPO_ROOT


def test_the_docs_build_with_warnings_as_errors(tmp_path):
    proc = subprocess.run(
        [sys.executable, '-m', 'sphinx', '-W', '--keep-going', '-q', '-b', 'html',
         '-d', str(tmp_path / 'doctrees'), f'{REPO_ROOT}/docs', str(tmp_path / 'html')],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-5000:]
    api = (tmp_path / 'html' / '_generated' / 'api.html').read_text()
    for name in ('AVRecognizer', 'CrossAttentionFusionHead', 'SnippetLogSpectrogram',
                 'EmotionMetric', 'inference_av', 'OnnxRecognizer'):  # fmt: skip
        assert name in api
    tools = (tmp_path / 'html' / '_generated' / 'tool_reference.html').read_text()
    assert '--cfg-options' in tools and 'tools/deployment/export_onnx.py' in tools
