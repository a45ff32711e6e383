"""Meldpunt mensenhandel: the national reporting point for human trafficking."""

from .celery import app as celery_app

__all__ = ["celery_app"]
