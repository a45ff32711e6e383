"""Markdown-lite for database texts: paragraphs, '## ' headings and '- ' lists.

Everything is escaped first, so HTML stored in the database is shown as text and never runs.
"""

from django.utils.html import escape, format_html_join
from django.utils.safestring import SafeString, mark_safe


def render_body(text: str) -> SafeString:
    blocks = [block.strip() for block in text.replace("\r\n", "\n").split("\n\n")]
    html: list[str] = []
    for block in filter(None, blocks):
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        if len(lines) == 1 and lines[0].startswith("## "):
            html.append(f"<h2>{escape(lines[0][3:].strip())}</h2>")
        elif all(line.startswith("- ") for line in lines):
            items = format_html_join("", "<li>{}</li>", ((line[2:].strip(),) for line in lines))
            html.append(f"<ul>{items}</ul>")
        else:
            html.append(f"<p>{escape(' '.join(lines))}</p>")
    # Safe: every piece of text above went through escape() or format_html_join().
    return mark_safe("\n".join(html))  # noqa: S308
