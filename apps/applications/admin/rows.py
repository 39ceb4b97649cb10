"""The rows of the console's application lists (办件工作台's tabs, 电子监察) and of
电子监察's department figures, as HTML.

Issue 16: a list row is eight cells and a dozen values; through the template engine each
value costs a variable lookup, a filter, localisation and escaping, about a tenth of a
millisecond a row — 电子监察's lists spent more on that than on everything else. Here each
row's text is worked out once and escaped into one format string; the table around the rows
(head, empty row) stays in ``_rows.html``. The markup is the one the row template printed.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, tzinfo
from html import escape
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import localize
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, gettext_lazy, ngettext

from apps.applications.console_selectors import intake_warning
from apps.applications.selectors import remaining_working_days, warning_level
from apps.applications.workflow import ACCEPTED_OPEN_STATES, State
from apps.common.pii import mask_name

# The clock badge of a row by warning level (A15).
_LEVEL_LABELS = {
    "red": gettext_lazy("超期"),
    "yellow": gettext_lazy("临期"),
    "green": gettext_lazy("正常"),
}
# The deadline on show is counted on a provisional calendar while the case still waits
# (``Application.deadline_provisional``).
_DEADLINE_OPEN_STATES = ACCEPTED_OPEN_STATES | {State.SUBMITTED}

_ROW = (
    "\n    <tr>\n"
    '      <td><a href="{url}">{number}</a></td>\n'
    "      <td>{item}</td>\n"
    "      <td>{department}</td>\n"
    "      <td>{applicant}</td>\n"
    "      <td>{submitted}</td>\n"
    "      <td>{intake}</td>\n"
    "      <td>{due}</td>\n"
    "      <td>{state}</td>\n"
    "    </tr>\n  "
)


_FIGURE_ROW = (
    "\n      <tr><td>{name}</td>\n"
    "        <td>{overdue}</td>\n"
    "        <td>{due_soon}</td></tr>\n    "
)


def department_rows_html(figures: Iterable[Any]) -> SafeString:
    """The ``<tr>`` of each of 电子监察's department figures (name, overdue, due soon; a
    count above zero as a red or yellow badge), as the page's template printed them;
    empty when there are none (the template then prints its empty row)."""
    return mark_safe(  # noqa: S308 - the name is escaped, the counts are numbers
        "".join(
            _FIGURE_ROW.format(
                name=escape(f.name),
                overdue=_count_badge(f.overdue, "red"),
                due_soon=_count_badge(f.due_soon, "yellow"),
            )
            for f in figures
        )
    )


def _count_badge(n: int, level: str) -> str:
    if not n:
        return "0"
    # As the template printed {{ n }}: Django groups an integer's digits only under
    # USE_THOUSAND_SEPARATOR, else prints it as str() does (without asking the format
    # modules, a tenth of a millisecond per page).
    number = localize(n) if settings.USE_THOUSAND_SEPARATOR else str(n)
    return f'<span class="gs-badge gs-{level}">{number}</span>'


def rows_html(rows: Iterable[Any], today: date) -> SafeString:
    """The ``<tr>`` of each row of :func:`apps.applications.console_selectors.queue_rows`,
    in order; empty when there are none (the template then prints its empty row)."""
    url = reverse("admin:applications_application_change", args=[0]).replace("/0/", "/{}/")
    provisional = ' <span class="gs-badge gs-provisional" title="{}">{}</span>'.format(
        escape(
            gettext("期限所在年度的法定节假日安排尚未发布，暂按周一至周五计算；发布后自动重算。")
        ),
        escape(gettext("按暂定日历计算")),
    )
    texts = _Texts()
    tz = timezone.get_current_timezone()
    return mark_safe(  # noqa: S308 - every value below is escaped
        "".join(_row(row, today, url, provisional, texts, tz) for row in rows)
    )


class _Texts:
    """The escaped texts a list repeats (state labels, clock badges, days left, item and
    department names), each translated and escaped once per list: a translation look-up
    costs more than the rest of a cell."""

    def __init__(self) -> None:
        self._names: dict[str, str] = {}
        self._states: dict[str, str] = {}
        self._levels: dict[str, str] = {}
        self._left: dict[int, str] = {}

    def name(self, value: str) -> str:
        text = self._names.get(value)
        if text is None:
            text = self._names[value] = escape(value)
        return text

    def state(self, value: str) -> str:
        text = self._states.get(value)
        if text is None:
            text = self._states[value] = escape(str(State(value).label))
        return text

    def level(self, level: str) -> str:
        text = self._levels.get(level)
        if text is None:
            text = self._levels[level] = escape(str(_LEVEL_LABELS.get(level, "")))
        return text

    def left(self, days_left: int) -> str:
        text = self._left.get(days_left)
        if text is None:
            text = self._left[days_left] = _left_text(days_left)
        return text


def _row(row: Any, today: date, url: str, provisional: str, texts: _Texts, tz: tzinfo) -> str:
    is_provisional = row.calendar_provisional and row.state in _DEADLINE_OPEN_STATES
    intake_due = row.intake_due_date.isoformat() if row.intake_due_date else ""
    warning = intake_warning(row, today)
    if warning is not None:
        intake = (
            f'<span class="gs-badge gs-{warning.level}">{escape(warning.text)}</span>'
            f"<br><small>{intake_due}</small>{provisional if is_provisional else ''}"
        )
    else:
        intake = intake_due or "-"
    if row.due_date:
        level = warning_level(row, today)
        days_left = remaining_working_days(row, today)
        due = (
            f'<span class="gs-badge gs-{level}">{texts.level(level)}</span> '
            f"{row.due_date.isoformat()}{provisional if is_provisional else ''}"
            f"{'' if days_left is None else texts.left(days_left)}"
        )
    else:
        due = "-"
    submitted = row.submitted_at
    return _ROW.format(
        url=url.format(row.pk),
        number=escape(row.number),
        item=texts.name(row.item__name),
        department=texts.name(row.department__name),
        # Lists show masked names (A17); the application page shows the full name.
        applicant=escape(mask_name(row.applicant_name)),
        submitted=submitted.astimezone(tz).strftime("%Y-%m-%d %H:%M") if submitted else "-",
        intake=intake,
        due=due,
        state=texts.state(row.state),
    )


def _left_text(days_left: int) -> str:
    if days_left < 0:
        text = ngettext("已超期%(n)d个工作日", "已超期%(n)d个工作日", -days_left)
        return f"<br><small>{escape(text % {'n': -days_left})}</small>"
    if days_left == 0:
        return f"<br><small>{escape(gettext('今日到期'))}</small>"
    text = ngettext("剩%(n)d个工作日", "剩%(n)d个工作日", days_left)
    return f"<br><small>{escape(text % {'n': days_left})}</small>"
