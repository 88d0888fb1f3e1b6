"""Webhooks for integrators (issue 20 item 2): an administrator subscribes an address to kinds
of events; the worker delivers each event there, signed per the Standard Webhooks convention,
retried with back-off, with a delivery log and a manual re-send. Every address passes the
outbound allow-list (`workflow_app/outbound.py`) when it is saved and before each delivery.
"""
