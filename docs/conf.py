"""Sphinx configuration: the docs as a site (MyST markdown), built strictly in the suite
(``tests/test_docs_build.py``: warnings are errors)::

    python -m sphinx -W -b html docs docs/_build/html
"""

import os.path as osp
import sys

DOCS = osp.dirname(osp.abspath(__file__))
sys.path[:0] = [osp.dirname(DOCS), osp.join(DOCS, '_ext')]

from avemo_mm import __version__  # noqa: E402

project = 'avemo-mm'
author = 'avemo-mm developers'
copyright = '2026, avemo-mm developers (Apache-2.0)'
release = version = __version__

extensions = [
    'myst_parser',
    'sphinx.ext.autodoc',
    'sphinx.ext.napoleon',
    'tool_options',  # docs/_ext: the tool reference from each tool's own parser
    'dataset_pages',  # docs/_ext: tools/data/<corpus>/README.md as pages
]
source_suffix = {'.md': 'markdown'}
root_doc = 'index'
exclude_patterns = ['_build', 'experiments/records', 'experiments/configs']
myst_heading_anchors = 3  # #anchors to headings, as on GitHub
myst_enable_extensions = ['colon_fence']
autodoc_member_order = 'bysource'
autodoc_typehints = 'description'
napoleon_google_docstring = True
napoleon_numpy_docstring = False
html_theme = 'alabaster'
html_title = f'avemo-mm {version}'
