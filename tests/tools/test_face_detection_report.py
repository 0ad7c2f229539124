"""tools/analysis/face_detection_report.py: per actor, how often the preparation found a face."""

import json

from conftest import REPO_ROOT, assert_ok, run_tool


def test_the_report_counts_every_prepared_clip_by_actor(ravdess_prepared, tmp_path):
    out = tmp_path / 'faces.json'
    table = assert_ok(
        run_tool(
            ['tools/analysis/face_detection_report.py', str(ravdess_prepared), '--out', str(out)],
            REPO_ROOT,
        )
    )
    report = json.loads(out.read_text())
    assert sorted(report['actors']) == ['1', '2', '3', '4']
    assert sum(row['clips'] for row in report['actors'].values()) == report['all']['clips'] == 120
    assert report['all']['detect_rate'] > 0.9  # the clean corpus's drawn faces
    assert '| all | 120 |' in table
    missing = run_tool(['tools/analysis/face_detection_report.py', str(tmp_path)], REPO_ROOT)
    assert missing.returncode != 0 and 'no records/*.json' in missing.stdout
