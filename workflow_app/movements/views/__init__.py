"""Pages of the movements capability."""
