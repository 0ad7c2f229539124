# The paper's full setting on CREMA-D (short name).
_base_ = ['./avemo/avemo_r3d101-r18_1xb16-6x16x1-es20_cremad-av.py']
