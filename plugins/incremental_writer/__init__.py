from .incremental_writer import IncrementalPelican, call_in_background, in_background, register, scanned_content, write_with_companions

__all__ = ["IncrementalPelican", "call_in_background", "in_background", "register", "scanned_content", "write_with_companions"]
