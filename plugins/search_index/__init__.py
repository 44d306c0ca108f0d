from .index_builder import SearchDocument, build_search_index, index_terms, period_of, words
from .search_index import register, search_document

__all__ = ["SearchDocument", "build_search_index", "index_terms", "period_of", "register", "search_document", "words"]
