"""The standing agency's appraisal: the queue, the review page, checklists, objections."""
