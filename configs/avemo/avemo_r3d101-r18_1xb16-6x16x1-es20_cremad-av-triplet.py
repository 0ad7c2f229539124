# Table 3: the plain triplet loss instead of the emotion metric loss.
_base_ = ['./avemo_r3d101-r18_1xb16-6x16x1-es20_cremad-av.py']
model = dict(cls_head=dict(loss_metric=dict(_delete_=True, type='TripletLoss', margin=0.2)))
