"""Text helpers shared by every app: clean names and diacritic-free search keys."""
import functools
import re
import unicodedata

_SPACES = re.compile(r"\s+")


def clean_name(value):
    """NFC-normalise and collapse whitespace, so "Khối  10" and "Khối 10" typed on
    different keyboards (NFD vs NFC Vietnamese) are the same name."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", value or "")).strip()


def name_key(value):
    """Case-insensitive identity of a name, diacritics kept ("Khôi" != "Khối").

    Computed in Python because SQLite's lower() only folds ASCII letters."""
    return clean_name(value).casefold()


def search_key(value):
    """Lower-case, diacritic-free form: "Trường Đại học Vinh" -> "truong dai hoc vinh"."""
    text = unicodedata.normalize("NFD", clean_name(value))
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    return text.replace("đ", "d").replace("Đ", "D").casefold()


@functools.lru_cache(maxsize=16384)
def sort_key(name):
    """search_key of a name tables are sorted by (wards, districts): the same few
    thousand names on every page, worked out once (a province's dashboard sorts
    460 of them on each view)."""
    return search_key(name)


def search_text(*values):
    """The diacritic-free text a record is found by: its name and the other texts
    a user may type (an address, the organisers), each as search_key gives it."""
    return " ".join(filter(None, (search_key(v) for v in values)))


def filter_search(queryset, q, field="search_text"):
    """Rows whose search text holds every word typed, diacritics ignored: "trung do"
    finds "Trung Đô", "dai hoc vinh" finds "Trường Đại học Vinh"."""
    for word in search_key(q).split():
        queryset = queryset.filter(**{f"{field}__contains": word})
    return queryset


_DIGITS = re.compile(r"(\d+)")


def natural_key(value):
    """Sort key that orders numbers by value and letters as search_key folds them:
    "Khối 2" before "Khối 10", "Đội" among the D's (SQL's ORDER BY gives neither)."""
    return [(0, int(part), "") if part.isdecimal() else (1, 0, part)
            for part in _DIGITS.split(search_key(value)) if part]
