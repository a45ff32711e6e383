"""Production settings: the safe defaults from `base`, configured by the environment."""

from .base import *  # noqa: F403

# Never demo accounts or a second factor shown in a terminal, whatever the environment says.
DEMO_ACCOUNTS = False
