"""The benchmark tools' shared helpers: the machine, and where the JSON goes."""

import json
import os.path as osp

from avemo_mm.utils.benchmark import machine, write_result


def test_the_machine_names_its_cpu_and_versions():
    info = machine()
    assert info['cpus'] >= 1 and info['torch'] and info['torch_threads'] >= 1


def test_results_go_to_the_work_dir_unless_a_path_is_given(tmp_path):
    default = write_result(dict(a=1), None, str(tmp_path / 'work'), 'speed.json')
    assert default == osp.join(str(tmp_path / 'work'), 'speed.json')
    chosen = write_result(dict(a=2), str(tmp_path / 'out' / 'mine.json'), 'unused', 'x.json')
    with open(chosen) as fh:
        assert json.load(fh) == dict(a=2)
