"""Pseudonymised mode: the same audit with no client, manager or contact names, phones or emails.

Aliases are derived from a keyed hash: ``HMAC-SHA256(key, "<kind>:<id>")`` gives ``Клиент-3F9A``
(``Client-3F9A`` in English) for a client, ``Менеджер-07C2`` for a manager, ``Контакт-…`` for a
contact person and ``Компания-…`` for the audited company itself. The same key and the same id
give the same alias on every run (the key lives in the client folder, see
:mod:`salesaudit.io.keys`); without the key an alias cannot be traced back. When two ids of one
kind would share the four hex digits, both get longer suffixes, so aliases stay unique.

What is changed:

- ``managers``: ``manager_id`` and ``name`` become the alias; ``phone`` / ``email`` are removed;
- ``clients``: ``client_id`` and ``name`` become the alias, ``contact_person`` becomes a contact
  alias, ``phone`` / ``email`` are removed;
- every ``manager_id`` / ``client_id`` in the other tables, and ``plans.dimension_value`` where
  the plan is per client, follow the same aliases (joins keep working);
- every other text cell of every table (comments, reasons, products, ``src_file``...) and every
  text in ``Dataset.meta`` is scrubbed: phone numbers and e-mail addresses are removed, every
  known manager, client and contact name (full, surname alone, ``Фамилия И.О.``, ``И.О. Фамилия``,
  first name + surname, declined forms such as ``Иванова``; client names with or without the legal
  form and quotes) becomes its alias, and any remaining ``Фамилия И.О.``-shaped text becomes a
  person alias;
- the audited company's own name (``meta`` keys ``client``, ``client_name``, ``company``,
  ``company_name``, ``display_name``) becomes the company alias, so the report cover does not name
  the client;
- the consultant's name (``report.yaml`` ``consultant``, the interview's ``consultant``) becomes
  ``Консультант-…`` wherever it is written, like a person's name;
- free text (activity results and comments, deal titles, refusal reasons, notes, file names) is
  scrubbed like every other text: a manager whose id is a name (1C keys managers by name) is
  found in free text by every spelling of that name too (surname alone, with initials).

Numbers, dates, products and the structure of the data are kept: the audit gives the same scores.
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import itertools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from salesaudit.model.dataset import Dataset
from salesaudit.model.schemas import TABLES

#: alias prefixes per kind and language
PREFIXES: dict[str, dict[str, str]] = {
    "client": {"ru": "Клиент", "en": "Client"},
    "manager": {"ru": "Менеджер", "en": "Manager"},
    "contact": {"ru": "Контакт", "en": "Contact"},
    "company": {"ru": "Компания", "en": "Company"},
    "person": {"ru": "Лицо", "en": "Person"},
    "consultant": {"ru": "Консультант", "en": "Consultant"},
}
#: what replaces a removed phone number / e-mail address inside a text
PHONE_MASK = "[телефон]"
EMAIL_MASK = "[e-mail]"
#: ``Dataset.meta`` keys holding the audited company's own name
COMPANY_META_KEYS = ("client", "client_name", "company", "company_name", "display_name")

_LEGAL_FORMS = (
    "ООО",
    "ОАО",
    "ЗАО",
    "ПАО",
    "НАО",
    "АО",
    "ИП",
    "ЧП",
    "ТОО",
    "НПО",
    "НКО",
    "ГК",
    "ТД",
    "ПК",
    "LLC",
    "LTD",
    "INC",
    "JSC",
    "GMBH",
)
_QUOTES = "«»\"'“”„‘’`"
_EMAIL_RE = re.compile(r"[\w.+%-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# 10-11 digit phone numbers with the usual separators (+7 (916) 123-45-67, 8-916-1234567, ...)
_PHONE_RE = re.compile(
    r"(?<![\w+])(?:\+?\d[\s\-.]*)?(?:\(\d{3,5}\)|\d{3,5})(?:[\s\-.]*\d){5,7}(?!\w)"
)
_WORD_RE = re.compile(r"\w+", re.UNICODE)
# one alias repeated ("Менеджер-07C2 Менеджер-07C2" when the first name and the surname of a
# spelling were replaced one by one) is written once
_REPEATED_ALIAS_RE = re.compile(
    r"(?<!\w)((?:"
    + "|".join(sorted({p for kinds in PREFIXES.values() for p in kinds.values()}))
    + r")-[0-9A-F]{4,})(?:\s+\1)+(?![\w-])"
)
# case endings of Russian names and nouns start with a vowel, ь or й ("Иванов" -> "Иванова",
# "Ивановым"; "Ромашк-" -> "Ромашкой"), so "Ивановка" is not taken for "Иванов"
_CYR_SUFFIX = r"(?:[аяуюеёиыоэьй]\w{0,2})?"
# text shaped like a person's name with initials, whoever it is
_INITIALS_RE = re.compile(
    r"(?<!\w)(?:[А-ЯЁ][а-яё]{2,}(?:-[А-ЯЁ][а-яё]+)?\s+[А-ЯЁ]\.\s?(?:[А-ЯЁ]\.?)?"
    r"|[А-ЯЁ]\.\s?(?:[А-ЯЁ]\.\s?)?[А-ЯЁ][а-яё]{2,}(?:-[А-ЯЁ][а-яё]+)?)(?!\w)"
)


def alias_suffix(key: bytes, kind: str, value: str, length: int = 4) -> str:
    """Upper-case hex digits of ``HMAC-SHA256(key, "<kind>:<value>")`` (``length`` of them)."""
    digest = hmac.new(key, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()
    return digest[:length].upper()


def make_alias(key: bytes, kind: str, value: str, *, lang: str = "ru", length: int = 4) -> str:
    """The alias of one value, e.g. ``make_alias(key, "client", "C-17") == "Клиент-3F9A"``."""
    prefix = PREFIXES[kind].get(lang, PREFIXES[kind]["en"])
    return f"{prefix}-{alias_suffix(key, kind, value, length)}"


def make_aliases(
    key: bytes, kind: str, values: Iterable[str], *, lang: str = "ru"
) -> dict[str, str]:
    """Unique aliases for distinct values: colliding suffixes are lengthened until unique."""
    distinct = sorted({str(v) for v in values if v is not None and str(v) != ""})
    length = 4
    pending = distinct
    out: dict[str, str] = {}
    used: set[str] = set()
    while pending:
        groups: dict[str, list[str]] = {}
        for v in pending:
            groups.setdefault(make_alias(key, kind, v, lang=lang, length=length), []).append(v)
        pending = []
        for alias, vs in groups.items():
            if len(vs) == 1 and alias not in used:
                out[vs[0]] = alias
                used.add(alias)
            else:
                pending.extend(vs)
        length += 2
        if length > 64:  # pragma: no cover - identical HMACs are impossible for distinct values
            raise ValueError("cannot derive unique aliases")
    return out


def name_core(name: str) -> str:
    """A company name without legal form and quotes: ``'ООО «Ромашка»'`` -> ``'Ромашка'``."""
    text = re.sub(r"\([^)]*\)", " ", str(name))  # "(демо)", "(Москва)"
    for q in _QUOTES:
        text = text.replace(q, " ")
    words = [w for w in re.split(r"[\s,]+", text) if w]
    forms = {f.upper() for f in _LEGAL_FORMS}
    while words and words[0].upper().strip(".") in forms:
        words = words[1:]
    while words and words[-1].upper().strip(".") in forms:
        words = words[:-1]
    return " ".join(words)


def _stem(token: str) -> str:
    """A word without its last vowel (``Ромашка`` -> ``Ромашк``, ``Анна`` -> ``Анн``) so that
    declined forms match (``Ромашкой``, ``Анной``)."""
    if len(token) >= 4 and token[-1].lower() in "аяоеёьйиыу":
        return token[:-1]
    return token


def _token_re(token: str, declinable: bool) -> str:
    if not declinable:
        return re.escape(token)
    return re.escape(_stem(token)) + _CYR_SUFFIX


def _initials_re(tokens: list[str]) -> str:
    parts = [re.escape(t[0]) + r"\.?" for t in tokens]
    return r"\s?".join(parts)


def person_patterns(name: str) -> list[str]:
    """Regex alternatives (most specific first) matching the ways a person's name is written.

    ``'Иванов Иван Иванович'`` gives the three words in any order, any two of them, the surname
    (and first name) with initials of the others (``Иванов И.И.``, ``И.И. Иванов``, ``Иванов И.``),
    and each word of 3+ letters alone, declined (``Иванова``, ``Ивану``).
    """
    words = [w for w in re.split(r"[\s.]+", str(name).strip()) if w]
    full = [w for w in words if len(w) >= 2]
    if not full:
        return []
    sep = r"\s+"
    out: list[str] = []
    for n in range(len(full), 1, -1):
        for combo in itertools.permutations(full, n):
            out.append(sep.join(_token_re(t, True) for t in combo))
    for i, token in enumerate(full):
        others = full[:i] + full[i + 1 :]
        if others:
            ini = _initials_re(others)
            first = _initials_re(others[:1])
            out.append(_token_re(token, True) + r"\s*" + ini + r"(?!\w)")
            out.append(ini + r"\s*" + _token_re(token, True))
            out.append(_token_re(token, True) + r"\s+" + first + r"(?!\w)")
            out.append(first + r"\s*" + _token_re(token, True))
    for token in sorted(full, key=len, reverse=True):
        if len(token) >= 3:
            out.append(_token_re(token, True))
    return out


def _is_sole_trader(name: str) -> bool:
    words = str(name).split()
    return bool(words) and words[0].upper().strip(".") == "ИП"


def company_patterns(name: str) -> list[str]:
    """Regex alternatives matching a company name: as written, and its core (declined if one word)."""
    text = str(name).strip()
    core = name_core(text)
    out: list[str] = []
    if text and len(text) >= 3:
        pieces = [p for p in re.split(r"[\s" + re.escape(_QUOTES) + r"]+", text) if p]
        quotes = r"[\s" + re.escape(_QUOTES) + r"]*"
        out.append(quotes.join(re.escape(p) for p in pieces) + quotes.replace("*", "?"))
    words = core.split()
    if words and len(core) >= 3:
        if len(words) == 1:
            out.append(_token_re(words[0], True))
        else:
            out.append(r"\s+".join(re.escape(w) for w in words))
    if _is_sole_trader(text) and 2 <= len(words) <= 3:
        out.extend(person_patterns(core))
    return out


@dataclass
class _Entity:
    alias: str
    patterns: list[str]
    tokens: set[str]
    need_all: bool = False
    regex: re.Pattern | None = None

    def compiled(self) -> re.Pattern:
        """The patterns as one regex over *lower-cased* text (compiling case-insensitive
        Cyrillic classes is slow; matching lower-cased text is the same and fast)."""
        if self.regex is None:
            body = "|".join(f"(?:{p.lower()})" for p in self.patterns)
            self.regex = re.compile(rf"(?<!\w)(?:{body})(?!\w)")
        return self.regex

    def sub(self, text: str) -> str:
        """``text`` with every match (case-insensitive) replaced by the alias."""
        low = text.lower()
        if len(low) != len(text):  # a character whose lower case has another length
            body = "|".join(f"(?:{p})" for p in self.patterns)
            return re.sub(rf"(?<!\w)(?:{body})(?!\w)", self.alias, text, flags=re.IGNORECASE)
        parts: list[str] = []
        last = 0
        for m in self.compiled().finditer(low):
            parts += [text[last : m.start()], self.alias]
            last = m.end()
        if not parts:
            return text
        parts.append(text[last:])
        return "".join(parts)


_LEGAL_LOWER = {f.lower() for f in _LEGAL_FORMS}


def _tokens_of(patterns_source: str) -> set[str]:
    """Words that must occur (possibly declined) in a text for the entity to possibly match."""
    words = _WORD_RE.findall(name_core(patterns_source))
    return {_stem(w).lower() for w in words if len(w) >= 3 and w.lower() not in _LEGAL_LOWER}


@dataclass
class Pseudonymizer:
    """Aliases of one client's people and companies, and a scrubber for any text.

    Build it with :func:`build_pseudonymizer`; use :meth:`text` on a string, :meth:`frame` on a
    DataFrame and :meth:`obj` on nested data (dicts, lists, dataclasses, DataFrames).
    """

    key: bytes
    lang: str = "ru"
    managers: dict[str, str] = field(default_factory=dict)  # manager_id -> alias
    clients: dict[str, str] = field(default_factory=dict)  # client_id -> alias
    company: str | None = None  # alias of the audited company
    consultants: dict[str, str] = field(default_factory=dict)  # consultant name -> alias
    _entities: list[_Entity] = field(default_factory=list, repr=False)
    _index: dict[str, list[int]] = field(default_factory=dict, repr=False)
    _cache: dict[str, str] = field(default_factory=dict, repr=False)

    # --- building ------------------------------------------------------------------------
    def add(self, alias: str, patterns: list[str], source: str, *, need_all: bool = False) -> None:
        """Register text that must be replaced by ``alias`` (regex ``patterns`` of ``source``).

        ``need_all``: every word of ``source`` must occur for a match (a company name of several
        words), not just one (a person, whose surname alone is enough).
        """
        if not patterns:
            return
        tokens = _tokens_of(source)
        ent = _Entity(alias, patterns, tokens, need_all=need_all)
        self._entities.append(ent)
        idx = len(self._entities) - 1
        for t in tokens or {""}:
            self._index.setdefault(t[:3], []).append(idx)
        self._cache.clear()

    # --- scrubbing -----------------------------------------------------------------------
    def _candidates(self, text: str) -> list[_Entity]:
        found: set[int] = set(self._index.get("", []))
        seen: dict[int, set[str]] = {}
        for word in _WORD_RE.findall(text):
            w = word.lower()
            for idx in self._index.get(w[:3], ()):
                ent = self._entities[idx]
                hits = {t for t in ent.tokens if w.startswith(t) and len(w) - len(t) <= 3}
                if not hits:
                    continue
                if not ent.need_all:
                    found.add(idx)
                    continue
                got = seen.setdefault(idx, set())
                got |= hits
                if got >= ent.tokens:
                    found.add(idx)
        return [self._entities[i] for i in sorted(found)]

    def _person_alias(self, match: re.Match) -> str:
        value = re.sub(r"\s+", " ", match.group(0)).strip()
        return make_alias(self.key, "person", value.lower(), lang=self.lang)

    def text(self, value: str) -> str:
        """``value`` with phones and e-mails removed and every known name replaced by its alias."""
        if value in self._cache:
            return self._cache[value]
        out = _EMAIL_RE.sub(EMAIL_MASK, value)
        out = _PHONE_RE.sub(lambda m: PHONE_MASK if _digits(m.group(0)) >= 10 else m.group(0), out)
        for ent in self._candidates(out):
            out = ent.sub(out)
        out = _INITIALS_RE.sub(self._person_alias, out)
        out = _REPEATED_ALIAS_RE.sub(r"\1", out)
        self._cache[value] = out
        return out

    def frame(self, df: pd.DataFrame, skip: Iterable[str] = ()) -> pd.DataFrame:
        """A copy of ``df`` with every text cell (and text column name) scrubbed."""
        out = df.copy()
        skip = set(skip)
        for col in out.columns:
            if col in skip:
                continue
            s = out[col]
            if s.dtype == object or pd.api.types.is_string_dtype(s.dtype):
                out[col] = s.map(self._cell)
        out.columns = [self.text(c) if isinstance(c, str) else c for c in out.columns]
        return out

    def _cell(self, v: Any) -> Any:
        return self.text(v) if isinstance(v, str) else v

    def obj(self, value: Any) -> Any:
        """Nested data scrubbed: strings, dict keys and values, lists, tuples, DataFrames, dataclasses."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, pd.DataFrame):
            return self.frame(value)
        if isinstance(value, pd.Series):
            return value.map(self._cell)
        if isinstance(value, Mapping):
            return {self.obj(k): self.obj(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.obj(v) for v in value]
        if isinstance(value, tuple):
            items = [self.obj(v) for v in value]
            return type(value)(*items) if hasattr(value, "_fields") else tuple(items)
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            changes = {f.name: self.obj(getattr(value, f.name)) for f in dataclasses.fields(value)}
            return dataclasses.replace(value, **changes)
        return value


def _digits(text: str) -> int:
    return sum(ch.isdigit() for ch in text)


def _column_values(df: pd.DataFrame | None, col: str) -> list[str]:
    if df is None or col not in df.columns:
        return []
    return [str(v) for v in df[col].dropna().unique() if str(v).strip()]


def _company_name(meta: Mapping[str, Any]) -> str | None:
    for k in COMPANY_META_KEYS:
        v = meta.get(k)
        if isinstance(v, str) and v.strip():
            return v.strip()
    return None


def build_pseudonymizer(
    data: Dataset,
    key: bytes,
    *,
    lang: str = "ru",
    company: str | None = None,
    extra_names: Mapping[str, str] | None = None,
    consultants: Iterable[str] = (),
) -> Pseudonymizer:
    """Aliases for every manager, client, contact person and the company of ``data`` (not modified).

    ``company`` is the audited company's name (default: read from ``data.meta``);
    ``extra_names`` maps further source labels to a ``manager_id`` / ``client_id`` (e.g. the
    spellings the reconciliation matched), so that those spellings are replaced too;
    ``consultants`` are the consultant's name(s) (report.yaml, the interview), replaced by
    ``Консультант-…`` in every spelling.
    """
    if not isinstance(key, bytes | bytearray) or len(key) < 16:
        raise ValueError("the pseudonymisation key must be at least 16 bytes")
    pz = Pseudonymizer(key=bytes(key), lang=lang)
    managers, clients = data.managers, data.clients
    manager_ids = set(_column_values(managers, "manager_id"))
    client_ids = set(_column_values(clients, "client_id"))
    for df in (
        data.clients,
        data.activities,
        data.deals,
        data.sales,
        data.plans,
        data.trainings,
        data.leads,
    ):
        manager_ids.update(_column_values(df, "manager_id"))
    for df in (data.activities, data.deals, data.sales, data.leads):
        client_ids.update(_column_values(df, "client_id"))
    plans = data.plans
    if plans is not None and {"dimension", "dimension_value"} <= set(plans.columns):
        client_ids.update(
            str(v) for v in plans.loc[plans["dimension"] == "client", "dimension_value"].dropna()
        )
    pz.managers = make_aliases(key, "manager", manager_ids, lang=lang)
    pz.clients = make_aliases(key, "client", client_ids, lang=lang)

    company = company or _company_name(data.meta)
    if company:
        pz.company = make_alias(key, "company", name_core(company).lower() or company, lang=lang)

    # most specific texts first: the audited company's full name (before a client's name that
    # is one of its words), full names before cores, people before single words
    if company and pz.company:
        pz.add(pz.company, company_patterns(company), name_core(company))
    for name in dict.fromkeys(str(c).strip() for c in consultants if c and str(c).strip()):
        alias = make_alias(key, "consultant", name.lower(), lang=lang)
        pz.consultants[name] = alias
        pz.add(alias, person_patterns(name) or [re.escape(name)], name)
    if managers is not None and "name" in managers.columns:
        for mid, name in managers[["manager_id", "name"]].dropna().itertuples(index=False):
            pz.add(pz.managers[str(mid)], person_patterns(str(name)), str(name))
    if clients is not None and "name" in clients.columns:
        for cid, name in clients[["client_id", "name"]].dropna().itertuples(index=False):
            pz.add(
                pz.clients[str(cid)],
                company_patterns(str(name)),
                name_core(str(name)),
                need_all=not _is_sole_trader(str(name)),
            )
    for contact in _column_values(clients, "contact_person"):
        pz.add(
            make_alias(key, "contact", contact.lower(), lang=lang),
            person_patterns(contact),
            contact,
        )
    for label, target in (extra_names or {}).items():
        if not label or not str(label).strip():
            continue
        if str(target) in pz.managers:
            pz.add(pz.managers[str(target)], person_patterns(str(label)), str(label))
        elif str(target) in pz.clients:
            pz.add(
                pz.clients[str(target)],
                company_patterns(str(label)),
                name_core(str(label)),
                need_all=not _is_sole_trader(str(label)),
            )
    # ids that look like names (1C often keys managers by name) are replaced too, a manager's
    # in every spelling of a person's name (free text says "Петров обещал" of "Петров Пётр")
    for value, alias in pz.managers.items():
        if _looks_like_person(value):
            pz.add(alias, person_patterns(value), value)
    for mapping in (pz.managers, pz.clients):
        for value, alias in mapping.items():
            if any(ch.isalpha() for ch in value) and len(value) >= 3:
                pz.add(alias, [re.escape(value)], value)
    if company and pz.company:
        # the audited company's name is distinctive: each of its words alone is hidden too
        for word in name_core(company).split():
            if len(word) >= 4 and word.isalpha():
                pz.add(pz.company, [_token_re(word, True)], word)
    return pz


_PERSON_WORD_RE = re.compile(r"^[A-ZА-ЯЁ][a-zа-яё]+(?:-[A-ZА-ЯЁ][a-zа-яё]+)?$")


def _looks_like_person(value: str) -> bool:
    """``'Петров Пётр'``, ``'Петров П.П.'``: 2-3 capitalised words or initials, no digits."""
    words = [w for w in re.split(r"\s+", value.strip()) if w]
    if not 2 <= len(words) <= 3 or not _PERSON_WORD_RE.match(words[0]):
        return False
    return all(_PERSON_WORD_RE.match(w) or re.fullmatch(r"(?:[A-ZА-ЯЁ]\.){1,2}", w) for w in words)


def _map_ids(s: pd.Series, mapping: Mapping[str, str]) -> pd.Series:
    return s.map(lambda v: mapping.get(str(v), v) if v is not None and not pd.isna(v) else v)


def _drop(df: pd.DataFrame, cols: Iterable[str]) -> pd.DataFrame:
    for c in cols:
        if c in df.columns:
            df[c] = pd.Series([None] * len(df), index=df.index, dtype=object)
    return df


def _pseudonymize_table(
    name: str, df: pd.DataFrame | None, pz: Pseudonymizer
) -> pd.DataFrame | None:
    if df is None:
        return None
    out = df.copy()
    keep: set[str] = set()
    if "manager_id" in out.columns:
        out["manager_id"] = _map_ids(out["manager_id"], pz.managers)
        keep.add("manager_id")
    if "client_id" in out.columns:
        out["client_id"] = _map_ids(out["client_id"], pz.clients)
        keep.add("client_id")
    if name == "managers":
        out = _drop(out, ("phone", "email"))
        if "name" in out.columns:
            out["name"] = out["manager_id"]
            keep.add("name")
    elif name == "clients":
        out = _drop(out, ("phone", "email"))
        if "name" in out.columns:
            out["name"] = out["client_id"]
            keep.add("name")
        if "contact_person" in out.columns:
            out["contact_person"] = out["contact_person"].map(
                lambda v: (
                    make_alias(pz.key, "contact", str(v).lower(), lang=pz.lang)
                    if isinstance(v, str) and v.strip()
                    else v
                )
            )
            keep.add("contact_person")
    elif name == "plans" and {"dimension", "dimension_value"} <= set(out.columns):
        is_client = out["dimension"] == "client"
        out.loc[is_client, "dimension_value"] = _map_ids(
            out.loc[is_client, "dimension_value"], pz.clients
        )
    # any other column that carries people's contact data goes too
    _drop(
        out, [c for c in out.columns if str(c).lower() in {"phone", "email", "e-mail", "телефон"}]
    )
    return pz.frame(out, skip=keep)


def pseudonymize_dataset(
    data: Dataset,
    key: bytes,
    *,
    lang: str = "ru",
    company: str | None = None,
    extra_names: Mapping[str, str] | None = None,
) -> Dataset:
    """A copy of ``data`` with names, phones and e-mails replaced by keyed aliases (see module doc).

    The input is not modified. The same ``key`` gives the same aliases on every run.
    """
    pz = build_pseudonymizer(data, key, lang=lang, company=company, extra_names=extra_names)
    return pseudonymize_with(data, pz)


def pseudonymize_with(data: Dataset, pz: Pseudonymizer) -> Dataset:
    """Like :func:`pseudonymize_dataset` with a ready :class:`Pseudonymizer` (reuse it elsewhere)."""
    tables = {name: _pseudonymize_table(name, getattr(data, name), pz) for name in TABLES}
    meta = {}
    for k, v in data.meta.items():
        if k in COMPANY_META_KEYS and isinstance(v, str) and pz.company:
            meta[k] = pz.company
        else:
            meta[k] = pz.obj(v)
    meta["pseudonymized"] = True
    return Dataset(**tables, meta=meta)


def match_labels(matches: pd.DataFrame | None) -> dict[str, str]:
    """Source label -> id from a reconciliation ``matches`` table (labels that got an id)."""
    if matches is None or matches.empty or not {"source_label", "id"} <= set(matches.columns):
        return {}
    rows = matches[["source_label", "id"]].dropna()
    return {str(label): str(i) for label, i in rows.itertuples(index=False)}


#: issue kinds whose ``value`` is a person's or company's name as a source wrote it
NAME_ISSUE_KINDS = ("ambiguous_match", "new_name")


def pseudonymize_quality(
    quality: Any,
    data: Dataset,
    key: bytes,
    *,
    lang: str = "ru",
    company: str | None = None,
    pseudonymizer: Pseudonymizer | None = None,
) -> Any:
    """The data-quality report with nothing that names a person or company, or gives a contact.

    For a :class:`~salesaudit.model.quality.QualityReport`: in ``matches`` the source label, the
    canonical name and the id become the entity's alias (a label matched to nobody gets an alias of
    its own); in ``issues`` the ``value`` of name issues (``ambiguous_match``, ``new_name``)
    becomes an alias and every other text (messages, values, file names) is scrubbed like the
    dataset's texts; ``tables`` is scrubbed too. Anything else (dicts, lists, DataFrames,
    dataclasses) is scrubbed recursively.

    ``data`` is the *original* (not yet pseudonymised) dataset: the names to hide come from it
    and from the ``matches`` labels. Pass ``pseudonymizer`` to reuse one from
    :func:`build_pseudonymizer`.
    """
    from salesaudit.model.quality import QualityReport

    matches = getattr(quality, "matches", None)
    pz = pseudonymizer or build_pseudonymizer(
        data,
        key,
        lang=lang,
        company=company,
        extra_names=match_labels(matches if isinstance(matches, pd.DataFrame) else None),
    )
    if not isinstance(quality, QualityReport):
        return scrub(quality, pz)
    return QualityReport(
        tables=scrub(quality.tables, pz),
        issues=_pseudonymize_issues(quality.issues, pz),
        matches=_pseudonymize_matches(quality.matches, pz),
    )


def _label_alias(pz: Pseudonymizer, entity: str, label: Any) -> Any:
    if not isinstance(label, str) or not label.strip():
        return label
    kind = "client" if entity == "client" else "person"
    return make_alias(pz.key, kind, "label:" + " ".join(label.lower().split()), lang=pz.lang)


def _pseudonymize_matches(matches: pd.DataFrame, pz: Pseudonymizer) -> pd.DataFrame:
    out = matches.copy()
    if out.empty:
        return out
    aliases = []
    for rec in out.itertuples(index=False):
        entity = str(getattr(rec, "entity", ""))
        rid = getattr(rec, "id", None)
        table = pz.clients if entity == "client" else pz.managers
        alias = table.get(str(rid)) if isinstance(rid, str) else None
        aliases.append(alias or _label_alias(pz, entity, getattr(rec, "source_label", None)))
    has_id = out["id"].notna() if "id" in out.columns else pd.Series(False, index=out.index)
    out["source_label"] = aliases
    if "canonical_name" in out.columns:
        out["canonical_name"] = [a if h else None for a, h in zip(aliases, has_id)]
    if "id" in out.columns:
        out["id"] = [a if h else None for a, h in zip(aliases, has_id)]
    skip = {"source_label", "canonical_name", "id", "entity", "method", "status"}
    return pz.frame(out, skip=skip & set(out.columns))


def _pseudonymize_issues(issues: pd.DataFrame, pz: Pseudonymizer) -> pd.DataFrame:
    out = issues.copy()
    if out.empty or not {"kind", "value"} <= set(out.columns):
        return scrub(out, pz)
    is_name = out["kind"].isin(NAME_ISSUE_KINDS)
    entity = out["table"].map(lambda t: "client" if t == "clients" else "person")
    out.loc[is_name, "value"] = [
        _label_alias(pz, e, v) for e, v in zip(entity[is_name], out.loc[is_name, "value"])
    ]
    return scrub(out, pz)


def scrub(value: Any, pz: Pseudonymizer, *, skip_keys: Iterable[str] = ()) -> Any:
    """Any nested value with ids mapped where recognisable and every text scrubbed by ``pz``.

    Values under a mapping key in ``skip_keys`` are kept as they are (e.g. method texts such as
    titles that come from the checklist, not from the client's data).
    """
    return _ScrubWalker(pz, frozenset(skip_keys)).walk(value)


class _ScrubWalker:
    """Walks nested data; in DataFrames, id columns follow the aliases, other texts are scrubbed."""

    def __init__(self, pz: Pseudonymizer, skip_keys: frozenset[str] = frozenset()) -> None:
        self.pz = pz
        self.skip_keys = skip_keys

    def _id_map(self, col: str) -> Mapping[str, str] | None:
        c = str(col).lower()
        if c.endswith("manager_id"):
            return self.pz.managers
        if c.endswith("client_id"):
            return self.pz.clients
        return None

    def walk(self, value: Any) -> Any:
        if isinstance(value, pd.DataFrame):
            out = value.copy()
            for col in out.columns:
                mapping = self._id_map(col)
                if mapping is not None:
                    out[col] = _map_ids(out[col], mapping)
            return self.pz.frame(out)
        if isinstance(value, Mapping):
            return {
                self.walk(k): v if k in self.skip_keys else self.walk(v) for k, v in value.items()
            }
        if isinstance(value, list):
            return [self.walk(v) for v in value]
        if isinstance(value, tuple) and not hasattr(value, "_fields"):
            return tuple(self.walk(v) for v in value)
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            changes = {f.name: self.walk(getattr(value, f.name)) for f in dataclasses.fields(value)}
            return dataclasses.replace(value, **changes)
        return self.pz.obj(value)
