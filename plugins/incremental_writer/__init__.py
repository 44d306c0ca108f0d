from .incremental_writer import register

__all__ = ["register"]
