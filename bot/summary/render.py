"""Turn a :class:`Summary` into Markdown and into Discord-embed-shaped dicts.

The embed dicts are plain data (``{"title", "description", "color", "fields": [{"name", "value",
"inline"}], "footer": {"text"}}``) that ``discord.Embed.from_dict`` accepts. They respect Discord's limits
(counted in UTF-16 code units, as Discord counts): title 256, description 4096, 25 fields, field name 256,
field value 1024, footer 2048, 6000 characters per embed *and* across all embeds of one message, 10 embeds
per message. A long summary is split across fields, embeds and messages; a single bullet longer than a field
is shortened in the embeds only, and :attr:`RenderedSummary.needs_attachment` then says to attach the full
Markdown, which always holds everything.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from bot.i18n import CATALOG_FOLDERS, ENGLISH, resolve, t, tn
from bot.summary.models import ActionItem, Bullet, Summary

TITLE_LIMIT = 256
DESCRIPTION_LIMIT = 4096
FIELDS_LIMIT = 25
FIELD_NAME_LIMIT = 256
FIELD_VALUE_LIMIT = 1024
FOOTER_LIMIT = 2048
EMBED_TOTAL_LIMIT = 6000
EMBEDS_PER_MESSAGE = 10
MESSAGE_TOTAL_LIMIT = 6000  # Discord sums the characters of every embed in one message

LINK_MARK = "↗"
DEFAULT_COLOR = 0x5865F2

Embed = dict[str, object]


@dataclass(frozen=True, slots=True)
class RenderedSummary:
    messages: list[list[Embed]]  # each inner list is one Discord message's embeds
    markdown: str
    needs_attachment: bool  # True when the embeds had to shorten something or span several messages


def dlen(text: str) -> int:
    """Length as Discord counts it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


def _cut(text: str, limit: int) -> str:
    """Shorten ``text`` to ``limit`` UTF-16 units at a word boundary, with an ellipsis."""
    if dlen(text) <= limit:
        return text
    out = text[: max(0, limit - 1)]
    while out and dlen(out) > limit - 1:
        out = out[:-1]
    space = out.rfind(" ")
    if space > len(out) // 2:
        out = out[:space]
    return out.rstrip(" ,;:") + "…"


def link(url: str) -> str:
    return f"[{LINK_MARK}]({url})" if url else ""


def _due_markdown(due: datetime | None, locale: str | None = None) -> str:
    if due is None:
        return ""
    code = resolve(locale)
    if code == ENGLISH:
        when = f"{due.astimezone(UTC):%a %d %b %Y, %H:%M} UTC"
    else:
        from babel.dates import format_datetime

        when = format_datetime(due.astimezone(UTC), "EEE d MMM y, HH:mm", tzinfo=UTC,
                               locale=CATALOG_FOLDERS[code]) + " UTC"
    return " (" + t(locale, "due {when}", when=when) + ")"


def _due_discord(due: datetime | None, locale: str | None = None) -> str:
    # A Discord timestamp: each reader's client shows it in their own language and time zone.
    return " (" + t(locale, "due {when}", when=f"<t:{int(due.timestamp())}:f>") + ")" if due else ""


def _bullet_line(text: str, url: str, suffix: str = "") -> str:
    tail = f" {link(url)}" if url else ""
    return f"- {text}{suffix}{tail}"


def _action_line(item: ActionItem, *, discord: bool, locale: str | None = None) -> str:
    due = _due_discord(item.due, locale) if discord else _due_markdown(item.due, locale)
    return _bullet_line(item.text, item.jump_url, due)


def _sections(summary: Summary, *, discord: bool, locale: str | None = None) -> list[tuple[str, list[str]]]:
    def bullets(items: Sequence[Bullet]) -> list[str]:
        return [_bullet_line(b.text, b.jump_url) for b in items]

    out = [
        (t(locale, "Key points"), bullets(summary.key_points)),
        (t(locale, "Decisions"), bullets(summary.decisions)),
        (t(locale, "Action items"), [_action_line(a, discord=discord, locale=locale) for a in summary.action_items]),
        (t(locale, "Open questions"), bullets(summary.open_questions)),
    ]
    return [(name, lines) for name, lines in out if lines]


def _participants_line(summary: Summary, locale: str | None = None) -> str:
    people = ", ".join(f"{p.name} ({p.message_count})" for p in summary.participants)
    return t(locale, "**Participants:** {people}", people=people) if people else ""


def _counts_line(summary: Summary, locale: str | None = None) -> str:
    parts = [tn(locale, "{n} message summarised", "{n} messages summarised", summary.message_count)]
    if summary.excluded_count:
        parts.append(tn(locale, "{n} message left out at their authors' request",
                        "{n} messages left out at their authors' request", summary.excluded_count))
    return "; ".join(parts) + "."


def default_title(locale: str | None = None) -> str:
    return t(locale, "Conversation summary")


def to_markdown(summary: Summary, *, title: str | None = None, locale: str | None = None) -> str:
    """The full summary as Markdown: nothing shortened, every bullet linked to its source message.

    Headings and counts are in ``locale`` (the reader's language); the bullets stay as the engine wrote them.
    """
    lines = [f"# {title or default_title(locale)}", ""]
    participants = _participants_line(summary, locale)
    if participants:
        lines.append(participants)
    lines.append(f"_{_counts_line(summary, locale)}_")
    sections = _sections(summary, discord=False, locale=locale)
    if not sections:
        lines += ["", t(locale, "Nothing to summarise yet: no key points, decisions, action items or open questions.")]
    for name, bullets in sections:
        lines += ["", f"## {name}", *bullets]
    return "\n".join(lines) + "\n"


def _embed_size(embed: Embed) -> int:
    total = dlen(str(embed.get("title", ""))) + dlen(str(embed.get("description", "")))
    fields = embed.get("fields", [])
    assert isinstance(fields, list)
    for f in fields:
        total += dlen(f["name"]) + dlen(f["value"])
    footer = embed.get("footer")
    if isinstance(footer, dict):
        total += dlen(str(footer.get("text", "")))
    return total


def _chunks(name: str, bullets: list[str], locale: str | None = None) -> tuple[list[tuple[str, str]], bool]:
    """Pack bullets into (field name, value) pairs of at most FIELD_VALUE_LIMIT; True if any was cut."""
    fields: list[tuple[str, str]] = []
    current: list[str] = []
    size = 0
    shortened = False
    for bullet in bullets:
        if dlen(bullet) > FIELD_VALUE_LIMIT:
            bullet = _shorten_bullet(bullet)
            shortened = True
        extra = dlen(bullet) + (1 if current else 0)
        if current and size + extra > FIELD_VALUE_LIMIT:
            fields.append((name, "\n".join(current)))
            current, size = [], 0
            extra = dlen(bullet)
        current.append(bullet)
        size += extra
    if current:
        fields.append((name, "\n".join(current)))
    named = [(n if i == 0 else continued(n, locale), v) for i, (n, v) in enumerate(fields)]
    return named, shortened


def continued(name: str, locale: str | None = None) -> str:
    """A heading again, on a later field or embed of the same section."""
    return t(locale, "{heading} (continued)", heading=name)


def _shorten_bullet(bullet: str) -> str:
    """Keep the source link of an over-long bullet and shorten its text to fit one field."""
    marker = f" [{LINK_MARK}]("
    at = bullet.rfind(marker)
    tail = bullet[at:] if at != -1 else ""
    head = bullet[:at] if at != -1 else bullet
    return _cut(head, FIELD_VALUE_LIMIT - dlen(tail)) + tail


def to_embeds(
    summary: Summary, *, title: str | None = None, color: int = DEFAULT_COLOR, locale: str | None = None
) -> tuple[list[list[Embed]], bool]:
    """Embeds grouped per message, and whether anything had to be shortened."""
    title = _cut(title or default_title(locale), TITLE_LIMIT)
    head_lines = [line for line in (_participants_line(summary, locale), _counts_line(summary, locale)) if line]
    description = _cut("\n".join(head_lines), DESCRIPTION_LIMIT)
    sections = _sections(summary, discord=True, locale=locale)
    if not sections:
        description = _cut(description + "\n\n" + t(locale, "Nothing to summarise yet."), DESCRIPTION_LIMIT)
    fields: list[tuple[str, str]] = []
    shortened = description != "\n".join(head_lines) and bool(sections)
    for name, bullets in sections:
        chunked, cut = _chunks(name, bullets, locale)
        fields += chunked
        shortened = shortened or cut

    embeds: list[Embed] = []
    current: Embed = {"title": title, "description": description, "color": color, "fields": []}
    for name, value in fields:
        current_fields = current["fields"]
        assert isinstance(current_fields, list)
        projected = _embed_size(current) + dlen(name) + dlen(value)
        if len(current_fields) >= FIELDS_LIMIT or projected > EMBED_TOTAL_LIMIT:
            embeds.append(current)
            current = {"title": _cut(continued(title, locale), TITLE_LIMIT), "color": color, "fields": []}
            current_fields = current["fields"]
            assert isinstance(current_fields, list)
        current_fields.append({"name": name, "value": value, "inline": False})
    embeds.append(current)

    messages: list[list[Embed]] = []
    batch: list[Embed] = []
    batch_size = 0
    for embed in embeds:
        size = _embed_size(embed)
        if batch and (len(batch) >= EMBEDS_PER_MESSAGE or batch_size + size > MESSAGE_TOTAL_LIMIT):
            messages.append(batch)
            batch, batch_size = [], 0
        batch.append(embed)
        batch_size += size
    if batch:
        messages.append(batch)
    return messages, shortened


def render(
    summary: Summary, *, title: str | None = None, color: int = DEFAULT_COLOR, locale: str | None = None
) -> RenderedSummary:
    """Both renderings at once, in ``locale``; attach ``markdown`` as a file when ``needs_attachment`` is True."""
    messages, shortened = to_embeds(summary, title=title, color=color, locale=locale)
    markdown = to_markdown(summary, title=title, locale=locale)
    return RenderedSummary(messages=messages, markdown=markdown, needs_attachment=shortened or len(messages) > 1)


def needs_attachment(summary: Summary) -> bool:
    """True when the summary does not fit one Discord message without shortening."""
    return render(summary).needs_attachment
