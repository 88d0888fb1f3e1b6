"""The HTML pages of this capability: blueprint, routes, forms. Routes parse input, check
access, call one service, commit once and render.
"""
