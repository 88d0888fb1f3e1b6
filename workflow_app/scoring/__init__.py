"""Scoring and classification (chấm điểm, xếp loại): criteria tables, self-scores and
assessor scores, bands, ranking, lock and publish to the award registry."""
