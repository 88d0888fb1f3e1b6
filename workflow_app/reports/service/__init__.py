"""Report queries: aggregation in SQL (GROUP BY), roll-ups over the aggregated groups only."""
