"""Normalise: the raw table to the typed resources of the data contract (pure, rule-based)."""

from normalise.build import RESOURCES, normalise

__all__ = ["RESOURCES", "normalise"]
