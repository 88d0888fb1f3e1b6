// App behaviour (no inline scripts: the CSP forbids them).
