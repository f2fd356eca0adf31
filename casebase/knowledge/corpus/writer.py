"""Writing a corpus fast: keys handed out in Python, rows sent with one executemany per table.

Django's bulk_create compiles every value of every row through the ORM, which costs more than the
database itself at a million rows; here each row is read off the model instance once and sent as a
plain tuple. Keys are handed out as the instances are made, so related rows can point at each other
before anything is written, and the sequences are moved past them at the end (PostgreSQL).
"""

from django.core.management.color import no_style
from django.db import connection, models
from django.db.models import Max
from django.db.models.base import ModelState
from django.utils import timezone


class Writer:
    """Makes model instances with their keys and inserts them in batches."""

    BATCH = 5000

    def __init__(self):
        self.next_id = {}
        self.written = set()
        self.now = timezone.now()
        self.plans = {}
        self.defaults = {}
        self.relations = {}

    def new(self, model, **fields):
        """An unsaved instance of `model` whose primary key is already chosen.

        Made without Model.__init__, which costs more than everything else here together at a million
        rows: the instance gets the field defaults, then the given values, related records by key with
        the record cached as __init__ would cache it. Only for the plain fields these models have.
        """
        if model not in self.next_id:
            self.next_id[model] = (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1
            self.defaults[model] = {
                field.attname: field.get_default() for field in model._meta.concrete_fields if not field.primary_key
            }
            self.relations[model] = {
                field.name: field.attname for field in model._meta.concrete_fields if field.is_relation
            }
        obj = model.__new__(model)
        obj._state = ModelState()
        values = dict(self.defaults[model])
        values[model._meta.pk.attname] = self.next_id[model]
        self.next_id[model] += 1
        relations = self.relations[model]
        for name, value in fields.items():
            if name in relations:
                values[relations[name]] = None if value is None else value.pk
                if value is not None:
                    obj._state.fields_cache[name] = value
            else:
                values[name] = value
        obj.__dict__.update(values)
        return obj

    def plan(self, model, computed):
        """(INSERT statement, [(attname, field, converter or None)]) for the model's concrete columns.

        `computed` maps a column to the SQL that computes it from its own parameters instead.
        """
        key = (model, tuple(computed))
        if key not in self.plans:
            ops, columns = connection.ops, []
            for field in model._meta.concrete_fields:
                if field.column in computed:
                    continue
                convert = None
                if isinstance(field, models.DateTimeField):
                    convert = ops.adapt_datetimefield_value
                elif isinstance(field, models.DateField):
                    convert = ops.adapt_datefield_value
                elif isinstance(field, models.DecimalField):
                    digits, places = field.max_digits, field.decimal_places

                    def convert(value, digits=digits, places=places):
                        return ops.adapt_decimalfield_value(value, digits, places)

                columns.append((field, convert))
            names = [ops.quote_name(field.column) for field, _ in columns] + [ops.quote_name(c) for c in computed]
            marks = ["%s"] * len(columns) + [sql for sql, _ in computed.values()]
            sql = f"INSERT INTO {ops.quote_name(model._meta.db_table)} ({', '.join(names)}) VALUES ({', '.join(marks)})"
            self.plans[key] = (sql, [(field.attname, field, convert) for field, convert in columns])
        return self.plans[key]

    def write(self, model, instances, computed=None):
        """Insert `instances` (made by `new`) as they are: no save(), no signals, no history.

        `computed`: {column: (SQL with %s marks, function of the instance giving their parameters)}.
        """
        if not instances:
            return 0
        computed = computed or {}
        sql, columns = self.plan(model, computed)
        stamped = [
            attname
            for attname, field, _ in columns
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
        ]
        rows = []
        for obj in instances:
            for attname in stamped:
                if getattr(obj, attname) is None:
                    setattr(obj, attname, self.now)
            row = []
            for attname, _, convert in columns:
                value = getattr(obj, attname)
                row.append(convert(value) if convert is not None and value is not None else value)
            for _, params in computed.values():
                row.extend(params(obj))
            rows.append(row)
        with connection.cursor() as cursor:
            for start in range(0, len(rows), self.BATCH):
                cursor.executemany(sql, rows[start : start + self.BATCH])
        self.written.add(model)
        return len(rows)

    def finish(self):
        """Move the key sequences past the keys handed out here (PostgreSQL; SQLite follows on its own)."""
        statements = connection.ops.sequence_reset_sql(no_style(), list(self.written))
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
