"""Business rules and queries of this capability. Services flush and never commit; they import
no view, API or Flask request. Other capabilities use this capability only through here.
"""
