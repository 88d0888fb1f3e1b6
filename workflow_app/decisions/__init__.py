"""Award decisions, submission letters (tờ trình) and their documents (issue 5).

Services: numbering, selection, issue, forwarding. Rendering: layout, docx_render,
pdf_render, certificates. No blueprint yet (pages are still to be built).
"""
