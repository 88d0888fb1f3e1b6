"""Rules and queries of this capability: no Flask."""
