from .av_recognizer import AVRecognizer

__all__ = ['AVRecognizer']
