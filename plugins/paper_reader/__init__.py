from .paper_reader import register

__all__ = ["register"]
