from .paper_feeds import register

__all__ = ["register"]
