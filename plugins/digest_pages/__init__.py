from .digest_pages import register

__all__ = ["register"]
