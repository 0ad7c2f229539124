"""Each tool's argument parser, as the tool itself builds it: for the docs' tool reference
(generated at build time, never copied by hand) and for the test that parses every
command of the docs with its tool's own parser.

A tool builds its parser inside ``parse_args``; running the tool with
``ArgumentParser.parse_args`` patched to raise hands the parser over before the tool does
any work.
"""

from __future__ import annotations

import argparse
import glob
import os.path as osp
import runpy
import sys
import warnings
from unittest import mock

REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
MODULE_TOOLS = ['avemo_mm.utils.live_publisher']


class _Captured(Exception):
    def __init__(self, parser: argparse.ArgumentParser) -> None:
        super().__init__(parser.prog)
        self.parser = parser


def capture_parser(tool: str) -> argparse.ArgumentParser:
    """The parser of ``tool`` (``tools/....py`` or a module run with ``-m``)."""

    def hand_over(parser, *args, **kwargs):
        raise _Captured(parser)

    argv = [tool]
    with mock.patch.object(argparse.ArgumentParser, 'parse_args', hand_over):
        with mock.patch.object(sys, 'argv', argv), warnings.catch_warnings():
            # runpy's note that the package imported the module before it runs it
            warnings.filterwarnings('ignore', '.*found in sys.modules', RuntimeWarning)
            try:
                if tool.startswith('avemo_mm'):
                    runpy.run_module(tool, run_name='__main__')
                else:
                    runpy.run_path(osp.join(REPO_ROOT, tool), run_name='__main__')
            except _Captured as captured:
                captured.parser.prog = f'python {tool}' if tool.endswith('.py') else tool
                return captured.parser
    raise RuntimeError(f'{tool} never parsed its arguments')


def tool_paths() -> list[str]:
    """Every command-line tool: ``tools/**/*.py`` with a ``__main__`` block, and modules."""
    paths = []
    for path in sorted(glob.glob(f'{REPO_ROOT}/tools/**/*.py', recursive=True)):
        if "if __name__ == '__main__'" in open(path).read():
            paths.append(osp.relpath(path, REPO_ROOT))
    return paths + MODULE_TOOLS


def write_reference(path: str) -> None:
    """A markdown page with every tool's ``--help``."""
    parts = [
        '# Tool reference\n\n',
        "Every tool's options, generated from its own argument parser when the docs are built.\n",
    ]
    for tool in tool_paths():
        help_text = capture_parser(tool).format_help()
        parts.append(f'\n## `{tool}`\n\n```text\n{help_text.rstrip()}\n```\n')
    with open(path, 'w') as fh:
        fh.write(''.join(parts))


def setup(app):
    """Sphinx extension: write ``_generated/tool_reference.md`` and ``_generated/api.md``
    before reading the docs."""

    def generate(app):
        import os

        out = osp.join(app.srcdir, '_generated')
        os.makedirs(out, exist_ok=True)
        write_reference(osp.join(out, 'tool_reference.md'))
        write_api(osp.join(out, 'api.md'))

    app.connect('builder-inited', generate)
    return dict(parallel_read_safe=True)


def write_api(path: str) -> None:
    """A markdown page documenting every class avemo-mm registers, by registry, and the
    inference, deployment and audio modules, from their docstrings (autodoc)."""
    from mmaction import registry as mmaction_registry
    from mmengine import registry as root_registry

    import avemo_mm  # noqa: F401  (registers)

    registries = [
        ('MODELS', mmaction_registry.MODELS), ('MODELS (mmengine root)', root_registry.MODELS),
        ('DATASETS', mmaction_registry.DATASETS), ('TRANSFORMS', mmaction_registry.TRANSFORMS),
        ('DATA_SAMPLERS', mmaction_registry.DATA_SAMPLERS), ('HOOKS', mmaction_registry.HOOKS),
        ('METRICS', mmaction_registry.METRICS),
        ('OPTIM_WRAPPERS', mmaction_registry.OPTIM_WRAPPERS),
    ]  # fmt: skip
    parts = ['# API\n\nGenerated from the docstrings when the docs are built.\n']
    for title, registry in registries:
        ours = sorted(
            (name, cls)
            for name, cls in registry.module_dict.items()
            if cls.__module__.startswith('avemo_mm')
        )
        if not ours:
            continue
        parts.append(f'\n## Registered in `{title}`\n')
        for _, cls in ours:
            parts.append(f'\n```{{eval-rst}}\n.. autoclass:: {cls.__module__}.{cls.__qualname__}\n'
                         '   :members:\n```\n')  # fmt: skip
    for module in ('avemo_mm.apis', 'avemo_mm.deploy', 'avemo_mm.audio'):
        parts.append(f'\n## `{module}`\n\n```{{eval-rst}}\n.. automodule:: {module}\n'
                     '   :members:\n   :imported-members:\n```\n')  # fmt: skip
    with open(path, 'w') as fh:
        fh.write(''.join(parts))
