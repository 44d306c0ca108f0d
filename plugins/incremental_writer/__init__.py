from .incremental_writer import IncrementalPelican, in_background, register

__all__ = ["IncrementalPelican", "in_background", "register"]
