"""Screenshots of Setu's pages at desktop and phone width in en/ja/hi, for a human review.

Usage: .venv/bin/python scripts/screenshots.py [base_url] [out_dir]
Needs a running server with the demo data (make run) and /usr/bin/chromium.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WIDTHS = {"desktop": (1280, 860), "phone": (390, 844)}
PAGES = {
    "anonymous": ["/", "/directory/", "/accounts/login/", "/directory/partnerships/"],
    "member@demo.setu.example": ["/dashboard/", "/accounts/preferences/"],
    "officer.yamanashi@demo.setu.example": [
        "/dashboard/",
        "/accounts/invitations/",
        "/audit/",
        "/directory/?focal=renewable_energy",
        "/directory/organisations/new/",
        "/directory/people/",
    ],
}
# Extra paths can be given as arguments after the output folder: who=path,path
EXTRA = [arg for arg in sys.argv[3:] if "=" in arg]


def sign_in(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", "setu-demo-2026")
    page.click("main form button[type=submit]")
    if "/2fa/authenticate" in page.url:
        code = subprocess.check_output(
            [sys.executable, "manage.py", "demo_totp", email], text=True
        ).strip()
        page.fill("input[name=code]", code)
        page.click("main form button[type=submit]")


def main() -> None:
    base = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
    out = Path(sys.argv[2] if len(sys.argv) > 2 else "var/screenshots")
    out.mkdir(parents=True, exist_ok=True)
    for arg in EXTRA:
        who, paths = arg.split("=", 1)
        PAGES[who] = paths.split(",")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for who, paths in PAGES.items():
            # Sign in once per user: a TOTP code may be used only once.
            state = None
            if who != "anonymous":
                login_context = browser.new_context()
                sign_in(login_context.new_page(), base, who)
                state = login_context.storage_state()
                login_context.close()
            for lang in ("en", "ja", "hi"):
                for label, (width, height) in WIDTHS.items():
                    context = browser.new_context(
                        viewport={"width": width, "height": height}, storage_state=state
                    )
                    page = context.new_page()
                    page.goto(f"{base}/")
                    page.click(f".lang-switch button[value={lang}]")
                    for path in paths:
                        page.goto(f"{base}{path}")
                        name = f"{who.split('@')[0]}{path.replace('/', '_')}{lang}-{label}.png"
                        page.screenshot(path=str(out / name), full_page=True)
                    context.close()
        browser.close()
    print(f"screenshots in {out}")


if __name__ == "__main__":
    main()
