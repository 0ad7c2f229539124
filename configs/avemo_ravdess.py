# The paper's full setting on RAVDESS (short name).
_base_ = ['./avemo/avemo_r3d101-r18_1xb16-6x16x1-es20_ravdess-av.py']
