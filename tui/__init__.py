"""The terminal UI of l10n (Textual). Thin: every read and write goes through the core."""
import os

# Textual draws a frame at most MAX_FPS times a second, and after a frame its timer
# waits one to two frame periods before it draws the next one. At Textual's default of
# 60, a key pressed just after a frame (a held arrow key, a fast typist) waited up to
# 33 ms for its own frame; at 120, up to 17 ms (issue 15's latency benchmark). A screen
# draws only when something changed, so an idle TUI costs no more. Set here, before
# Textual is imported (it reads the variable once); a TEXTUAL_FPS the user set wins.
os.environ.setdefault("TEXTUAL_FPS", "120")
