"""A browser's User-Agent in people's words ("Firefox on Windows"), for the list of where
someone is signed in. Pure: no Django; rough by design (the string is the browser's claim)."""

from __future__ import annotations

# checked in order: Edge and Opera also say "Chrome", Chrome also says "Safari"
BROWSERS = (
    ("Edg/", "Edge"),
    ("OPR/", "Opera"),
    ("Firefox/", "Firefox"),
    ("FxiOS/", "Firefox"),
    ("CriOS/", "Chrome"),
    ("Chromium/", "Chromium"),
    ("HeadlessChrome/", "Chrome"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
    ("curl/", "curl"),
)
SYSTEMS = (
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Android", "Android"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("Macintosh", "macOS"),
    ("CrOS", "ChromeOS"),
    ("Linux", "Linux"),
)


def parts(user_agent: str) -> tuple[str, str]:
    """The browser's and the system's names ("Chrome", "Linux"), each "" when unknown."""
    browser = next((name for mark, name in BROWSERS if mark in user_agent), "")
    system = next((name for mark, name in SYSTEMS if mark in user_agent), "")
    return browser, system


def describe(user_agent: str) -> str:
    """ "Chrome on Linux", "Safari on iPhone", or "Unknown browser" (in English: the
    template filter ``browser_name`` says it in the reader's language)."""
    browser, system = parts(user_agent)
    if browser and system:
        return f"{browser} on {system}"
    return browser or (f"A browser on {system}" if system else "Unknown browser")
