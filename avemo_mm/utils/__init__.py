from .av_writer import write_av_clip

__all__ = ['write_av_clip']
