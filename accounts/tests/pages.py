"""Reading pages the way a person sees them: the text inside <main>, and the fields' errors."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from django.http import HttpResponse

BRAND = "Newcomer Mentorship"


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.depth = 0  # > 0 while inside <main>
        self.chunks: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "main" or self.depth:
            self.depth += tag not in {"br", "hr", "img", "input", "meta", "link"}

    def handle_endtag(self, tag):
        if self.depth and tag not in {"br", "hr", "img", "input", "meta", "link"}:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.chunks.append(data)


def main_text(response: HttpResponse) -> str:
    """The words shown in the page's <main> element, with whitespace collapsed."""
    collector = _TextCollector()
    collector.feed(response.content.decode())
    return " ".join(" ".join(collector.chunks).split())


def field_error(response: HttpResponse, field_id: str) -> str:
    """The text of the error shown right under the input with that id (empty if none)."""
    html = response.content.decode()
    match = re.search(
        rf'<input[^>]*\bid="{re.escape(field_id)}"[^>]*>\s*<div[^>]*class="invalid-feedback"[^>]*>(.*?)</div>',
        html,
        re.S,
    )
    if not match:
        return ""
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split())


def is_signed_in(client) -> bool:
    return "_auth_user_id" in client.session
