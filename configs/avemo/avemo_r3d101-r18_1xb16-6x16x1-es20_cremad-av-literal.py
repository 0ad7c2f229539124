# The paper's full setting on cremad to the letter: every departure of
# avemo_r3d101-r18_1xb16-6x16x1-es20_cremad-av.py reverted (the options and what each
# departure rests on: configs/_base_/models/avemo_paper_letter.py, docs/method.md).
_base_ = [
    './avemo_r3d101-r18_1xb16-6x16x1-es20_cremad-av.py',
    '../_base_/models/avemo_paper_letter.py',
]
model = _base_.paper_letter
