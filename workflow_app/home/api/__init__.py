"""The home page's dashboards over /api/v1."""
