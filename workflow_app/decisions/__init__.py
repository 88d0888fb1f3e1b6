"""Award decisions, submission letters (tờ trình), revocations and their documents (issue 5).

Services: numbering, selection, issue, forwarding, revocation (proposal, dismissal,
recovery) and revocation_issue (the revoking decision). Rendering: layout, docx_render,
pdf_render, certificates. Pages: the `decisions` blueprint (routes*.py).
"""
