"""Models: importing this package registers every avemo model into ``mmaction``'s
``MODELS`` registry."""

from .losses import *  # noqa: F401,F403
