from .incremental_writer import IncrementalPelican, register

__all__ = ["IncrementalPelican", "register"]
