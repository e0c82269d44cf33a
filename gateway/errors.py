"""Errors shared across modules, kept apart so that any module can raise them without import cycles."""

from __future__ import annotations


class ConfigError(ValueError):
    """A configuration that cannot work; the message names the offending key."""
