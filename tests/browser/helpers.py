"""Steps shared by the browser tests."""

from playwright.sync_api import Page


def log_in(page: Page, base_url: str, email: str, password: str) -> None:
    """Log in through the login form, as a member would."""
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Log in").click()
