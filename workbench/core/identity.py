"""The app's names on the desktop, in a module with no imports (read at start-up).

``APP_ID`` names the .desktop file, the icon in the icon theme, the AppStream
component, and the Wayland app id (``QGuiApplication.setDesktopFileName``);
reverse-DNS as AppStream asks.  ``COMMAND`` is the installed launcher.
"""

from __future__ import annotations

APP_ID = "org.claimworkbench.ClaimWorkbench"
COMMAND = "claim-workbench"
