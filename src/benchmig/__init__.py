"""benchmig: move legacy benchmark scripts onto one well-built benchmark framework."""

__version__ = "0.1.0"

__all__ = ["__version__"]
