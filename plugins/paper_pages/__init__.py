from .paper_pages import register

__all__ = ["register"]
