"""The terminal UI of l10n (Textual). Thin: every read and write goes through the core."""
