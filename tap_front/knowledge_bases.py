"""Knowledge bases, their categories and their articles, as the lists serve them: each object
with its locales, no content (an article's body lives at one endpoint per article and locale,
a request each, so it is left out). Read whole on every run."""
from .base import FrontStream


class KnowledgeBases(FrontStream):
    """Help centers and internal knowledge bases; the list is one answer (no paging)."""

    name = "knowledge_bases"
    path = "/knowledge_bases"
    scope = "knowledge_bases:read"
    context_keys = {"knowledge_base_id": "id"}


class KnowledgeBaseCategories(FrontStream):
    name = "knowledge_base_categories"
    parent = "knowledge_bases"
    path = "/knowledge_bases/{knowledge_base_id}/categories"
    scope = "knowledge_bases:read"
    page_limit = 100
    related_ids = {"parent_category_id": "parent_category"}


class KnowledgeBaseArticles(FrontStream):
    name = "knowledge_base_articles"
    parent = "knowledge_bases"
    path = "/knowledge_bases/{knowledge_base_id}/articles"
    scope = "knowledge_bases:read"
    page_limit = 100
    related_ids = {"category_id": "category"}
