"""The /api/v1 operations of this capability, with their schemas and presenters. Each
operation calls the same service as the page.
"""
