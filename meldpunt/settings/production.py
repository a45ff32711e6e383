"""Production settings: the safe defaults from `base`, configured by the environment."""

from .base import *  # noqa: F403
