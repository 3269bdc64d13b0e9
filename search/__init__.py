"""Search backends and ranking (no Flask imports): ranked supplier ids out, rows loaded from SQL.

The hybrid search engine lands with the search issue; until then the catalog
pages filter suppliers in SQL (``matchmaker.catalog.queries``).
"""
