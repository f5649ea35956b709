"""Chinese statistics rules (sentences with Chinese characters)."""
