"""Sign-in: passwords (argon2), server-side sessions, throttling, TOTP two-factor."""
