"""Warning filters set before any library is imported (workflow_app/__init__.py imports this
module first)."""

import warnings

# pyHanko imports cryptography's DSA types (to read old signatures) and cryptography 46+ warns
# on that import, once per process, into the server's log. Nothing here signs or accepts DSA.
warnings.filterwarnings("ignore", message="DSA is deprecated", module="pyhanko")
