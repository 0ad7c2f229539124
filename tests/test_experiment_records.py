"""The figures of the experiment pages under docs/experiments/ are their records' figures."""

import json
import re

from conftest import REPO_ROOT
from test_readme import BARS, learning_failures

EXPERIMENTS = f'{REPO_ROOT}/docs/experiments'
QUICKSTART_ROWS = {  # table row -> record
    'seed 0': 'seed0',
    'seed 0, again, under load': 'seed0_again',
    'seed 1 (1 thread)': 'seed1',
    'seed 2 (1 thread)': 'seed2',
    '2 epochs (broken recipe)': '2_epochs',
}
COLUMNS = [
    (name, split) for name in ('audio-visual', 'audio', 'video') for split in ('train', 'test')
]


def _table(page: str) -> dict[str, list[str]]:
    """First cell -> the other cells, for every table row of ``page`` (markup stripped)."""
    rows = {}
    for line in open(f'{EXPERIMENTS}/{page}').read().splitlines():
        cells = [re.sub(r'[*]', '', c).strip() for c in line.strip('|').split('|')]
        if line.startswith('|') and len(cells) > 1:
            rows[cells[0]] = cells[1:]
    return rows


def test_quickstart_seeds_table_is_its_records():
    table = _table('quickstart-seeds.md')
    for row, record in QUICKSTART_ROWS.items():
        with open(f'{EXPERIMENTS}/records/quickstart_{record}.json') as fh:
            summary = json.load(fh)
        results = summary['results']
        figures = [f'{100 * results[n][s]["WAR"]:.1f}' for n, s in COLUMNS]
        figures.append(f'{100 * summary["fusion_gain"]:+.1f}')
        assert table[row] == figures, row
        # the shipped recipe meets the test's bars; the broken one does not
        assert bool(learning_failures(summary)) == (record == '2_epochs'), record
    bars = [f'{100 * BARS[c]:.0f}' for c in COLUMNS]
    assert table['bar of the test'][:6] == bars
