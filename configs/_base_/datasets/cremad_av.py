# CREMA-D, prepared by tools/data/prepare_dataset.py (intended labels; add
# label_source='multimodal' to the dataset for the perceived votes): RAVDESS's input,
# pipelines and loaders (../datasets/ravdess_av.py) on another corpus.
_base_ = ['./ravdess_av.py']
data_root = 'data/CREMA-D'
ann_file = 'data/cremad_prepared/annotations.json'
dataset_type = 'CremaDDataset'
corpus = dict(type=dataset_type, data_root=data_root, ann_file=ann_file)
train_dataloader = dict(dataset=corpus)
val_dataloader = dict(dataset=corpus)
test_dataloader = dict(dataset=corpus)
