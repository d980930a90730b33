"""Reconciliation: the same manager or client named differently in different sources.

CRM exports write managers as 'Имя Фамилия', 1C as 'Фамилия Имя Отчество', plans as
'Фамилия И.О.' or the surname alone; companies come as 'ООО «Ромашка»', 'Ромашка ООО',
'ООО "Ромашка"', 'Ромашка, ООО'. :func:`reconcile_managers` and :func:`reconcile_clients` give
each entity one id (``m01``..., ``c0001``...; deterministic: in the order of the master list
(the managers / clients table) when there is one, then entities known only from the sources in
order of name) and say,
label by label, how it was matched. Ambiguous labels are never guessed: they get no id and are
reported. Work is done once per distinct label, so millions of records cost little.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

from salesaudit.model.presets import normalize_label

MATCH_COLUMNS = [
    "entity",
    "source_file",
    "source_label",
    "canonical_name",
    "id",
    "method",
    "status",
]

_PERSON_SPLIT = re.compile(r"[\s.,]+")
_QUOTES = re.compile(r"[«»\"“”„‟'‘’`]")
_LEGAL_FORMS = frozenset(
    {"ооо", "оао", "зао", "пао", "ао", "ип", "нао", "тоо", "llc", "ltd", "inc", "gmbh", "jsc"}
)
_COMPANY_PUNCT = re.compile(r"[,;()]+")


def person_tokens(label: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Split a person's name into (full-word tokens, initials), folded: 'Петров И.С.' ->
    (('петров',), ('и', 'с'))."""
    text = normalize_label(label)
    # 'И.С.' -> 'и. с.' so that glued initials split apart
    parts = [p for p in _PERSON_SPLIT.split(text) if p]
    words = tuple(p for p in parts if len(p) > 1)
    initials = tuple(p for p in parts if len(p) == 1)
    return words, initials


def company_key(label: str) -> str:
    """A company name without legal form, quotes, punctuation, case and ё:
    'ООО «Ромашка»', 'Ромашка, ООО' and 'ооо "ромашка"' all give 'ромашка'."""
    text = _QUOTES.sub(" ", normalize_label(label))
    text = _COMPANY_PUNCT.sub(" ", text)
    words = [w for w in text.split() if w not in _LEGAL_FORMS]
    return " ".join(words) if words else " ".join(text.split())


@dataclass(frozen=True)
class Resolution:
    """Result of reconciling one kind of entity.

    - ``entities``: DataFrame [id, name, origin] — one row per entity, ``origin`` is
      ``'master'`` (from the managers/clients table) or ``'source'`` (created from a label);
    - ``ids``: source label -> id (``None`` for ambiguous labels);
    - ``matches``: DataFrame with :data:`MATCH_COLUMNS`, one row per (source file, label).
    """

    entities: pd.DataFrame
    ids: Mapping[str, str | None]
    matches: pd.DataFrame
    master_index: Mapping[str, str] = field(default_factory=dict)


def _sort_key(prefix: str):  # noqa: ANN202 - private helper
    if prefix == "c":  # companies sort by name without the legal form
        return lambda n: (company_key(n), normalize_label(n), n)
    return lambda n: (normalize_label(n), n)


def _pairs(labels: pd.DataFrame | Iterable[tuple[str, str]]) -> pd.DataFrame:
    if isinstance(labels, pd.DataFrame):
        df = labels[["source_file", "source_label"]]
    else:
        df = pd.DataFrame(list(labels), columns=["source_file", "source_label"])
    df = df[df["source_label"].notna()].copy()
    df["source_label"] = df["source_label"].astype(str).str.strip()
    df = df[df["source_label"] != ""]
    return df.drop_duplicates().reset_index(drop=True)


class _People:
    """Entities (canonical names) with indexes for token matching."""

    def __init__(self) -> None:
        self.names: list[str] = []
        self.words: list[frozenset[str]] = []
        self.ordered: list[tuple[str, ...]] = []
        self.by_folded: dict[str, list[int]] = {}
        self.by_word: dict[str, list[int]] = {}

    def add(self, name: str) -> int:
        i = len(self.names)
        words, _ = person_tokens(name)
        self.names.append(name)
        self.words.append(frozenset(words))
        self.ordered.append(words)
        self.by_folded.setdefault(" ".join(sorted(words)), []).append(i)
        for w in set(words):
            self.by_word.setdefault(w, []).append(i)
        return i

    def candidates(
        self, words: tuple[str, ...], initials: tuple[str, ...]
    ) -> tuple[list[int], str]:
        """Entities this label may name, and the method that found them."""
        if not words:
            return [], "new"
        wset = frozenset(words)
        # full names: same words in any order, or one name's words contained in the other's
        if len(words) >= 2 and not initials:
            same = self.by_folded.get(" ".join(sorted(words)), [])
            if same:
                return list(same), "normalized"
            pool = set(self.by_word.get(words[0], []))
            for w in words[1:]:
                pool &= set(self.by_word.get(w, []))
            found = [i for i in sorted(pool) if wset <= self.words[i]]
            found += [
                i
                for i in self._containing_subset(wset)
                if i not in found and len(self.words[i]) >= 2
            ]
            return found, "normalized"
        surname_pool = set(self.by_word.get(words[0], []))
        for w in words[1:]:
            surname_pool &= set(self.by_word.get(w, []))
        pool = sorted(surname_pool)
        if initials:
            found = []
            for i in pool:
                others = [w for w in self.ordered[i] if w not in wset]
                if not others:
                    continue
                # initials follow the order of the remaining words (first name, patronymic);
                # a patronymic the entity's name lacks cannot contradict
                if all(others[k][0] == c for k, c in enumerate(initials) if k < len(others)):
                    found.append(i)
            return found, "initials"
        return pool, "surname"

    def _containing_subset(self, wset: frozenset[str]) -> list[int]:
        # an entity whose words are all inside the label ('Иван Петров' for 'Петров Иван Сергеевич')
        pools = [set(self.by_word.get(w, [])) for w in wset]
        counts: dict[int, int] = {}
        for p in pools:
            for i in p:
                counts[i] = counts.get(i, 0) + 1
        return sorted(i for i, c in counts.items() if c == len(self.words[i]) and c >= 2)


def _resolve_override(
    label: str,
    overrides: Mapping[str, str],
    folded_overrides: Mapping[str, str],
    people: _People,
    by_id: Mapping[str, int],
) -> int | None | str:
    """Entity index the override names, the override's target text when it names nobody yet,
    or ``None`` when there is no override for ``label``."""
    target = overrides.get(label, folded_overrides.get(normalize_label(label)))
    if target is None:
        return None
    if target in by_id:
        return by_id[target]
    if target in people.names:
        return people.names.index(target)
    found, _ = people.candidates(*person_tokens(target))
    return found[0] if len(found) == 1 else target


def reconcile_managers(
    labels: pd.DataFrame | Iterable[tuple[str, str]],
    *,
    master: Sequence[str] | None = None,
    master_ids: Sequence[str | None] | None = None,
    overrides: Mapping[str, str] | None = None,
) -> Resolution:
    """Match manager labels (``source_file``, ``source_label`` pairs) to managers.

    ``master`` is the managers table's names (then it is the master list: labels matching
    nobody create new managers with status ``'new'``); without it managers are created from
    the full names the sources give, and initials/surname labels are matched to those.
    ``master_ids`` keeps ids the managers table already has. ``overrides`` (mapping file
    ``managers:``) maps a label to a canonical name or id and wins over everything.
    Ids are ``m01``, ``m02``, ...: master-list order first, then the others by name.
    """
    pairs = _pairs(labels)
    overrides = dict(overrides or {})
    folded_overrides = {normalize_label(k): v for k, v in overrides.items()}
    people = _People()
    origin: list[str] = []
    for name in master or ():
        people.add(str(name).strip())
        origin.append("master")
    unique = list(dict.fromkeys(pairs["source_label"]))
    parsed = {lab: person_tokens(lab) for lab in unique}

    if master is None:
        # create entities from full names, longest (most complete) first
        full = [lab for lab in unique if len(parsed[lab][0]) >= 2 and not parsed[lab][1]]
        full.sort(key=lambda lab: (-len(parsed[lab][0]), normalize_label(lab), lab))
        for lab in full:
            if lab in overrides or normalize_label(lab) in folded_overrides:
                continue
            found, _ = people.candidates(*parsed[lab])
            if not found:
                people.add(lab)
                origin.append("source")

    name_index = {n: i for i, n in enumerate(people.names)}
    by_id = _master_id_index(people.names, "m", 2, master_ids) if master is not None else {}

    decided: dict[str, tuple[int | None, str, str]] = {}
    new_labels: list[str] = []
    for lab in unique:
        over = _resolve_override(lab, overrides, folded_overrides, people, by_id)
        if isinstance(over, int):
            decided[lab] = (over, "override", "matched")
            continue
        if isinstance(over, str):  # override to a name nobody has yet
            i = people.add(over)
            origin.append("source")
            name_index[over] = i
            decided[lab] = (i, "override", "matched" if master is None else "new")
            continue
        if lab in name_index:
            decided[lab] = (name_index[lab], "exact", "matched")
            continue
        if lab in by_id:  # the source gives the manager's id itself
            decided[lab] = (by_id[lab], "exact", "matched")
            continue
        found, method = people.candidates(*parsed[lab])
        if len(found) == 1:
            decided[lab] = (found[0], method, "matched")
        elif len(found) > 1:
            decided[lab] = (None, method, "ambiguous")
        else:
            new_labels.append(lab)
    # full names first, so that 'Сидоров П.' joins 'Сидоров Пётр' rather than the other way
    new_labels.sort(key=lambda lab: (bool(parsed[lab][1]), -len(parsed[lab][0]), lab))
    for lab in new_labels:
        # a label nobody knows: a new manager (or one created from a shorter label above)
        found, method = people.candidates(*parsed[lab])
        if len(found) == 1:
            decided[lab] = (found[0], method, "matched" if master is None else "new")
            continue
        i = people.add(lab)
        origin.append("source")
        name_index[lab] = i
        decided[lab] = (i, "exact", "matched" if master is None else "new")

    ids = _assign_ids(people.names, origin, "m", 2, master_ids)
    return _finish("manager", people.names, origin, ids, pairs, decided)


def _assign_ids(
    names: Sequence[str],
    origin: Sequence[str],
    prefix: str,
    width: int,
    keep: Sequence[str | None] | None,
) -> list[str]:
    """Ids for entities: kept ids stay; master entities are numbered in master-list order,
    entities known only from the sources follow in order of name."""
    kept = list(keep or [])
    kept += [None] * (len(names) - len(kept))
    width = max(width, len(str(len(names))))
    taken = {str(k) for k in kept if k}
    master = [i for i, o in enumerate(origin) if o == "master" and not kept[i]]
    source = sorted(
        (i for i, o in enumerate(origin) if o != "master" and not kept[i]),
        key=lambda i: _sort_key(prefix)(names[i]),
    )
    out: list[str | None] = [str(k) if k else None for k in kept]
    number = 0
    for i in master + source:
        number += 1
        while f"{prefix}{number:0{width}d}" in taken:  # skip numbers a kept id already uses
            number += 1
        out[i] = f"{prefix}{number:0{width}d}"
    return [str(x) for x in out]


def _master_id_index(
    names: Sequence[str], prefix: str, width: int, keep: Sequence[str | None] | None
) -> dict[str, int]:
    """Id -> index of every master entity. Master ids do not depend on entities added later
    (those are numbered after the master list), so they can be known before matching."""
    ids = _assign_ids(names, ["master"] * len(names), prefix, width, keep)
    return {i: k for k, i in enumerate(ids)}


def _finish(
    entity: str,
    names: Sequence[str],
    origin: Sequence[str],
    ids: Sequence[str],
    pairs: pd.DataFrame,
    decided: Mapping[str, tuple[int | None, str, str]],
) -> Resolution:
    entities = pd.DataFrame({"id": list(ids), "name": list(names), "origin": list(origin)})
    entities = entities.sort_values("id", kind="stable").reset_index(drop=True)
    label_ids = {lab: (ids[i] if i is not None else None) for lab, (i, _m, _s) in decided.items()}
    rows = []
    for source_file, lab in pairs.itertuples(index=False):
        i, method, status = decided[lab]
        rows.append(
            (
                entity,
                source_file,
                lab,
                names[i] if i is not None else None,
                ids[i] if i is not None else None,
                method,
                status,
            )
        )
    matches = pd.DataFrame(rows, columns=MATCH_COLUMNS)
    return Resolution(entities=entities, ids=label_ids, matches=matches)


def _spelling_preference(name: str) -> tuple:
    """Which spelling of a company names it: the longest, legal form first, «» quotes."""
    first = normalize_label(name).split(" ", 1)[0]
    return (-len(name), first not in _LEGAL_FORMS, '"' in name, name)


def reconcile_clients(
    labels: pd.DataFrame | Iterable[tuple[str, str]],
    *,
    master: Sequence[str] | None = None,
    master_ids: Sequence[str | None] | None = None,
    overrides: Mapping[str, str] | None = None,
) -> Resolution:
    """Match client labels (``source_file``, ``source_label`` pairs) to clients.

    Names are compared by :func:`company_key` (legal form, quotes, case, ё ignored). ``master``
    is the clients table's names (the master list); without it the union of the names becomes
    the client list, each entity named by its fullest spelling (longest, legal form first). Two master clients with the
    same key make a label ambiguous. ``overrides`` (mapping ``clients:``) win. Ids are
    ``c0001``, ...: master-list order first, then the others by name.
    """
    pairs = _pairs(labels)
    overrides = dict(overrides or {})
    folded_over = {normalize_label(k): v for k, v in overrides.items()}
    names: list[str] = []
    origin: list[str] = []
    by_key: dict[str, list[int]] = {}

    def add(name: str, where: str) -> int:
        names.append(name)
        origin.append(where)
        by_key.setdefault(company_key(name), []).append(len(names) - 1)
        return len(names) - 1

    for name in master or ():
        add(str(name).strip(), "master")
    unique = list(dict.fromkeys(pairs["source_label"]))
    name_index = {n: i for i, n in enumerate(names)}
    by_id = _master_id_index(names, "c", 4, master_ids)

    decided: dict[str, tuple[int | None, str, str]] = {}
    pending: dict[str, list[str]] = {}
    for lab in unique:
        target = overrides.get(lab, folded_over.get(normalize_label(lab)))
        if target is not None:
            if target in by_id:
                decided[lab] = (by_id[target], "override", "matched")
                continue
            if target not in name_index:
                hits = by_key.get(company_key(target), [])
                if len(hits) == 1:
                    decided[lab] = (hits[0], "override", "matched")
                    continue
                name_index[target] = add(target, "source")
            decided[lab] = (name_index[target], "override", "matched")
            continue
        if lab in name_index:
            decided[lab] = (name_index[lab], "exact", "matched")
            continue
        if lab in by_id:  # the source gives the client's id itself
            decided[lab] = (by_id[lab], "exact", "matched")
            continue
        hits = by_key.get(company_key(lab), [])
        if len(hits) == 1:
            decided[lab] = (hits[0], "normalized", "matched")
        elif len(hits) > 1:
            decided[lab] = (None, "normalized", "ambiguous")
        else:
            pending.setdefault(company_key(lab), []).append(lab)
    for key, group in pending.items():
        hits = by_key.get(key, [])  # an entity an override created meanwhile
        if len(hits) > 1:
            for lab in group:
                decided[lab] = (None, "normalized", "ambiguous")
            continue
        if hits:
            i = hits[0]
        else:
            i = add(sorted(group, key=_spelling_preference)[0], "source")
        status = "matched" if master is None or origin[i] == "master" else "new"
        for lab in group:
            decided[lab] = (i, "exact" if lab == names[i] else "normalized", status)
    ids = _assign_ids(names, origin, "c", 4, master_ids)
    return _finish("client", names, origin, ids, pairs, decided)
