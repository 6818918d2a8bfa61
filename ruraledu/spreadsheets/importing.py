"""Helpers shared by the apps' spreadsheet importers."""

from decimal import Decimal
from operator import itemgetter

from ruraledu.accounts.choices import Action
from ruraledu.accounts.scoping import scope_paths
from ruraledu.audit.choices import AuditAction
from ruraledu.audit.services import AuditEntry, audit_bulk, entry_of_write
from ruraledu.core import crypto
from ruraledu.core.bulk import chunked
from ruraledu.core.idnumbers import resident_id_problem, student_no_problem
from ruraledu.indicators.changes import changing, covering, units_written

from .base import ColumnsMissing, ErrorSink, ImportResult, absent
from .staging import insert_returning, select_in, update_rows

TENTH = Decimal("0.1")


def db_decimal(value, places: Decimal = TENTH):
    if value is None:
        return None
    if not isinstance(value, Decimal):
        value = Decimal(str(value))
    return value.quantize(places)


def db_bool(value):
    return None if value is None else bool(value)


def id_problem(value: str, kind: str = "ric") -> str | None:
    return student_no_problem(value) if kind == "student_no" else resident_id_problem(value)


def can_view_personal(user) -> bool:
    """Whether clear ID numbers reach this user anywhere (to log an export). Which records are
    shown in clear is decided per record: `accounts.policy.Reach(user, VIEW_PERSONAL)`."""
    return user.is_superuser or bool(scope_paths(user, Action.VIEW_PERSONAL))


# A row naming a person kept by a school outside the uploader's scope is refused without
# saying where the person is; moves between schools are confirmed by both sides or the bureau.
STUDENT_ELSEWHERE = "该证件号已在其他学校登记，请在“学生转学”页面申请转入，或联系区教体局"
STAFF_ELSEWHERE = "该证件号已在其他学校登记，请联系区教体局办理调动"


def places_of(model, person_pks, year: int) -> dict[int, set[str]]:
    """Person pk -> org-tree paths of the schools where `model` (a yearly roster record with
    `person` and `school`) places the person in `year`."""
    places: dict[int, set[str]] = {}
    for chunk in chunked(sorted(set(person_pks))):
        found = model.objects.filter(year=year, person_id__in=chunk).values_list(
            "person_id", "school__org_unit__path"
        )
        for person, path in found:
            places.setdefault(person, set()).add(path)
    return places


def last_places(model, person_pks, year: int) -> dict[int, set[str]]:
    """Person pk -> paths of the schools that last held the person in a year other than
    `year` (the latest such year on file). A school that does not hold someone may enrol
    them in a new year (小升初), but who they are is the holder's or the bureau's to change."""
    latest: dict[int, tuple[int, set[str]]] = {}
    for chunk in chunked(sorted(set(person_pks))):
        found = (
            model.objects.filter(person_id__in=chunk)
            .exclude(year=year)
            .values_list("person_id", "year", "school__org_unit__path")
        )
        for person, on, path in found:
            seen, paths = latest.get(person, (on, set()))
            if on < seen:
                continue
            if on > seen:
                paths = set()
            latest[person] = (on, paths | {path})
    return {person: paths for person, (_, paths) in latest.items()}


def pks_by_id_number(model, numbers) -> dict[str, int]:
    """ID number -> pk for the people of `model` on file among `numbers` (blanks ignored)."""
    numbers = sorted({crypto.normalise_id(n) for n in numbers if n})
    number_of = dict(zip(crypto.blind_indexes(numbers), numbers, strict=True))
    found = select_in(model, ("id_index", "pk"), "id_index", list(number_of))
    return {number_of[key]: pk for key, pk in found}


class DuplicateTracker:
    """Reports the second row carrying a key already seen."""

    def __init__(self):
        self.first_row: dict = {}

    def problem(self, key, row_number: int) -> str | None:
        first = self.first_row.setdefault(key, row_number)
        return None if first == row_number else f"与第 {first} 行重复"


class PeopleUpsert:
    """Persons keyed by blind index, inserted or updated in bulk.

    `people` maps blind index -> (clear ID number, values of `fields`), values as stored
    (foreign keys as ids). Creating it reads what is stored; `write()` writes the changes
    and completes `pks` (blind index -> pk) with the new persons.
    """

    def __init__(
        self,
        model,
        fields: tuple[str, ...],
        people: dict[str, tuple[str, tuple]],
        where: dict | None = None,
        absent=(),
    ):
        # `where`: columns fixed for the whole upsert (a list's kind and year), for a model
        # whose blind index is unique only together with them; `absent`: fields whose column
        # the file lacks, which must not clear what a person on file holds
        self.model, self.fields, self.people = model, fields, people
        self.where = where or {}
        # what the importer refuses if its records would clear anything too
        self.wiped, at = Wiped(), absent_at(fields, absent)
        self.pks: dict[str, int] = {}
        self.changed: list[tuple[int, tuple, tuple]] = []  # (pk, stored values, new values)
        self.created: list[int] = []
        extra = "".join(f" AND {model._meta.get_field(f).column} = %s" for f in self.where)
        found = select_in(
            model,
            ("pk", "id_index", *fields),
            "id_index",
            list(people),
            extra,
            list(self.where.values()),
        )
        for pk, key, *stored in found:
            self.pks[key] = pk
            if tuple(stored) != people[key][1]:
                self.wiped.check(at, pk, stored, people[key][1])
                self.changed.append((pk, tuple(stored), people[key][1]))
        self.existing = set(self.pks.values())
        # in index order: the unique index then grows at its end instead of everywhere
        self.new = sorted(key for key in people if key not in self.pks)

    def write(self) -> None:
        update_rows(self.model, self.fields, [(*new, pk) for pk, _, new in self.changed])
        entries = list(map(self.people.__getitem__, self.new))
        numbers = [number for number, _ in entries]
        sealed = zip(crypto.encrypt_many(numbers), self.new, crypto.hints(numbers), strict=True)
        fixed = tuple(self.where.values())
        with covering(self.model):  # a new person changes no indicator until enrolled
            inserted = insert_returning(
                self.model,
                (*self.fields, *self.where, "id_cipher", "id_index", "id_hint"),
                (values + fixed + seal for (_, values), seal in zip(entries, sealed, strict=True)),
                returning=("id_index", "pk"),
            )
        self.pks.update(inserted)
        self.created = [pk for _, pk in inserted]

    def audit_entries(self) -> list[AuditEntry]:
        """Before and after of each changed person (their ID numbers never change here)."""
        return [update_entry(self.model, self.fields, *change) for change in self.changed]


def update_entry(model, fields: tuple[str, ...], pk: int, before: tuple, after: tuple):
    """The audit entry of one record updated in bulk, from its values before and after."""
    return AuditEntry(
        model=model,
        object_id=pk,
        action=AuditAction.UPDATE,
        before=dict(zip(fields, before, strict=True)),
        after=dict(zip(fields, after, strict=True)),
    )


def absent_at(fields: tuple[str, ...], absent) -> list[tuple[int, str]]:
    """(position, field) of the `fields` whose column the file lacks."""
    return [(i, f) for i, f in enumerate(fields) if f in absent]


class Wiped:
    """What an import would clear in the columns its file lacks: the fields, and the records
    (by whatever names them: a person, a record's key)."""

    def __init__(self):
        self.fields, self.records = set(), set()

    def check(self, at: list[tuple[int, str]], record, stored, new) -> None:
        self.add(record, {f for i, f in at if stored[i] != new[i]})

    def add(self, record, cleared: set[str]) -> None:
        if cleared:
            self.fields |= cleared
            self.records.add(record)

    def refuse(self) -> None:
        if self.records:
            raise ColumnsMissing(self.fields, len(self.records))


def write_year_rows(
    model,
    key_fields,
    fields,
    year: int,
    stored: dict,
    wanted: dict,
    result,
    absent=(),
    wiped: Wiped | None = None,
):
    """Bring a roster's records of one school year to `wanted` (key -> values of `fields`,
    the key a tuple of `key_fields`), given `stored` (key -> (pk, values)): inserts the new,
    updates the changed, counts all three into `result` and lists the new ids there. An
    update that would clear a stored value of an `absent` field (a column the file lacks)
    refuses the whole import, together with what `wiped` holds already (the persons'). The
    first key field names the record. Returns the audit entries of the changed records."""
    to_insert, changes = [], []
    wiped, at = wiped or Wiped(), absent_at(fields, absent)
    for key, values in wanted.items():
        if key not in stored:
            to_insert.append((*key, year, *values))
        elif stored[key][1] != values:
            wiped.check(at, key[0], stored[key][1], values)
            changes.append((stored[key][0], stored[key][1], values))
        else:
            result.unchanged += 1
    wiped.refuse()
    # in the order of the record's first key (a person): the unique index then grows at its
    # end, and PostgreSQL's foreign-key checks at commit read the persons in order
    to_insert.sort(key=itemgetter(0))
    columns = (*key_fields, "year", *fields)
    # the indicators' change record: this year's records at these units only
    units = units_written(model, columns, to_insert, fields, changes)
    with changing(model, year=year, units=units):
        created = insert_returning(model, columns, to_insert, ("pk",))
        result.updated = update_rows(model, fields, [(*new, pk) for pk, _, new in changes])
    result.created = len(created)
    result.created_ids[model._meta.label] = [pk for (pk,) in created]
    return [update_entry(model, fields, *change) for change in changes]


class RecordImporter:
    """Mixin for importers of modest tables keyed by a few columns, written through the ORM.

    Subclasses set `model`, `key_fields` (model attnames forming the natural key, the year
    excluded) and implement `context(user)` and `row_values(row, ctx, bad)`, which returns the
    model's attname -> value dict (None when the row is unusable) and reports problems with
    `bad(column_key, message)`.
    """

    model = None
    key_fields: tuple[str, ...] = ()
    year_field: str | None = "year"

    def context(self, user):
        raise NotImplementedError

    def row_values(self, row, ctx, bad) -> dict | None:
        raise NotImplementedError

    def _collect(self, rows, user, year, errors=None):
        ctx = self.context(user)
        seen = DuplicateTracker()
        sink = ErrorSink(self.spec, errors)
        collected = []
        for row in rows:
            bad = sink.at(row)
            values = self.row_values(row, ctx, bad)
            if values is None:
                continue
            if self.year_field:
                values[self.year_field] = year
            key = tuple(values[f] for f in self.key_fields)
            if problem := seen.problem(key, row.number):
                bad("", f"同一记录在文件中出现两次（{problem}）")
                continue
            collected.append((key, values))
        return collected

    def validate(self, rows, *, year, user):
        errors = []
        self._collect(rows, user, year, errors)
        return errors

    def write(self, rows, *, year, user):
        collected = self._collect(rows, user, year)
        queryset = self.model.objects.all()
        if self.year_field:
            queryset = queryset.filter(**{self.year_field: year})
        existing = {tuple(getattr(obj, f) for f in self.key_fields): obj for obj in queryset}
        result = ImportResult()
        new, changed, fields = [], [], set()  # changed: (record, values before)
        lacking, wiped = absent(rows), Wiped()
        for key, values in collected:
            obj = existing.get(key)
            if obj is None:
                obj = self.model(**values)
                obj.full_clean(validate_unique=False)
                new.append(obj)
                continue
            diff = {f: getattr(obj, f) for f, value in values.items() if getattr(obj, f) != value}
            wiped.add(key, {f.removesuffix("_id") for f in diff} & lacking)
            if not diff:
                result.unchanged += 1
                continue
            for f in diff:
                setattr(obj, f, values[f])
            obj.full_clean(validate_unique=False)
            changed.append((obj, diff))
            fields.update(diff)
        wiped.refuse()
        for obj in new:
            obj.save()  # save() may derive fields (year from date); tables here are small
        if changed:
            self.model.objects.bulk_update(
                [obj for obj, _ in changed], sorted(fields), batch_size=500
            )
        audit_bulk(
            actor=user,
            summary=f"导入{self.spec.title}（{year}学年）",
            entries=[
                *(entry_of_write(obj, True, {}) for obj in new),
                *(entry_of_write(obj, False, before) for obj, before in changed),
            ],
        )
        result.created, result.updated = len(new), len(changed)
        return result
