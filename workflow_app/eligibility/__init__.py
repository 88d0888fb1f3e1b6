"""Eligibility: the catalogue's prerequisites evaluated against the award registry.

`evaluate.evaluate` answers "does this nominee meet each prerequisite of this award for this
year, under the rule version in force on this day"; `quotas` counts caps per unit and year;
`duplicates` flags the same nomination or the same achievement used twice.
"""
