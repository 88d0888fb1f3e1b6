"""The architecture's own checks: import contracts (`lint-imports`, configured in
pyproject.toml) and the custom contract types they use."""
