from .av_writer import write_av_clip
from .config import insert_after, propagate_dataset_variables
from .media import MediaError, MediaInfo, iter_video_frames, probe_media, read_audio, write_wav

__all__ = [
    'MediaError',
    'MediaInfo',
    'insert_after',
    'iter_video_frames',
    'probe_media',
    'propagate_dataset_variables',
    'read_audio',
    'write_av_clip',
    'write_wav',
]
