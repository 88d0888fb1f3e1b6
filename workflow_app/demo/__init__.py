"""Demo data drawn from the seed articles (`flask demo load`). DEMO ONLY: known passwords."""
