from .incremental_writer import IncrementalPelican, call_in_background, in_background, register

__all__ = ["IncrementalPelican", "call_in_background", "in_background", "register"]
