"""Organisation: units in a tree, persons, emulation clusters and blocks; who may see whom."""
