"""Small helpers that read configuration from the environment (12-factor style)."""

import os


def env_str(name: str, default: str = "") -> str:
    """Return the environment variable ``name`` or ``default``."""
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    """Interpret ``1/true/yes/on`` (any case) as True; unset gives ``default``."""
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    """Return the integer value of ``name``; unset or empty gives ``default``."""
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    """Split a comma-separated variable into a list, dropping blanks."""
    value = os.environ.get(name)
    if value is None:
        return list(default or [])
    return [item.strip() for item in value.split(",") if item.strip()]
