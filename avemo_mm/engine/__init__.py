"""Training-loop additions; importing registers them into MMAction2's ``HOOKS``."""

from .dataset_meta_hook import DatasetMetaHook

__all__ = ['DatasetMetaHook']
