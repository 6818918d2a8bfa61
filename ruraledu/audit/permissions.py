"""Kept for the modules that still import it from here: the rule lives in accounts.policy."""

from ruraledu.accounts.policy import is_bureau, is_root_path

__all__ = ["is_bureau", "is_root_path"]
