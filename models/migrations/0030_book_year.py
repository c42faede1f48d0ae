"""The cooperative's full books: the KSP chart (Kas dan Bank becomes Kas beside a new Bank;
Utang kepada Toko becomes Utang kepada Platform; the missing accounts seeded for every
cooperative), sub-accounts, each entry's business date (older entries take their Jakarta day),
reversals, receipt photos and line memos, book years and the RAT held for each. The database
enforces a close: no journal row is ever written dated in a CLOSED year."""

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.indexes import Index
from tortoise.migrations import operations as ops
from tortoise.migrations.constraints import UniqueConstraint

from models.cooperatives.books import BookYearAction, BookYearState, EntryKind

# The seeded chart as this migration wrote it: (code, name, kind, is_cash, is_control).
CHART = (
    ("1-1100", "Kas", "ASSET", True, False),
    ("1-1200", "Bank", "ASSET", True, False),
    ("1-1300", "Piutang Pinjaman Anggota", "ASSET", False, True),
    ("1-1400", "Deposit PPOB", "ASSET", False, False),
    ("1-1500", "Piutang dari Platform", "ASSET", False, True),
    ("1-1600", "Piutang Antar Anggota", "ASSET", False, True),
    ("1-1700", "Penyisihan Piutang Tak Tertagih", "ASSET", False, False),
    ("1-2100", "Inventaris", "ASSET", False, False),
    ("1-2200", "Akumulasi Penyusutan Inventaris", "ASSET", False, False),
    ("2-1100", "Simpanan Sukarela", "LIABILITY", False, True),
    ("2-1200", "Utang kepada Platform", "LIABILITY", False, True),
    ("2-1300", "Utang SHU Anggota", "LIABILITY", False, False),
    ("2-1400", "Simpanan Berjangka", "LIABILITY", False, True),
    ("2-1500", "Utang Pajak", "LIABILITY", False, False),
    ("2-1900", "Dana Alokasi SHU", "LIABILITY", False, False),
    ("2-2100", "Utang Bank", "LIABILITY", False, False),
    ("3-1100", "Simpanan Pokok", "EQUITY", False, True),
    ("3-1200", "Simpanan Wajib", "EQUITY", False, True),
    ("3-1300", "Modal Penyertaan", "EQUITY", False, False),
    ("3-1400", "Donasi/Hibah", "EQUITY", False, False),
    ("3-2100", "Cadangan", "EQUITY", False, False),
    ("3-3100", "SHU Belum Dibagi", "EQUITY", False, False),
    ("4-1100", "Pendapatan Jasa Pinjaman", "INCOME", False, False),
    ("4-1200", "Pendapatan Denda", "INCOME", False, False),
    ("4-1300", "Pendapatan Admin PPOB", "INCOME", False, False),
    ("4-1400", "Pendapatan Administrasi", "INCOME", False, False),
    ("4-1500", "Pendapatan Penalti Simpanan Berjangka", "INCOME", False, False),
    ("4-1900", "Pendapatan Lain-lain", "INCOME", False, False),
    ("5-1100", "Beban Gaji", "EXPENSE", False, False),
    ("5-1200", "Beban Sewa", "EXPENSE", False, False),
    ("5-1300", "Beban Listrik dan Air", "EXPENSE", False, False),
    ("5-1400", "Beban ATK", "EXPENSE", False, False),
    ("5-1500", "Beban Penyusutan", "EXPENSE", False, False),
    ("5-1600", "Beban Penyisihan Piutang", "EXPENSE", False, False),
    ("5-1700", "Beban Jasa Simpanan", "EXPENSE", False, False),
    ("5-1800", "Beban Jasa Simpanan Berjangka", "EXPENSE", False, False),
    ("5-1900", "Beban Bunga Bank", "EXPENSE", False, False),
    ("5-2000", "Beban RAT", "EXPENSE", False, False),
    ("5-9900", "Beban Lain-lain", "EXPENSE", False, False),
)

# Entries written before the column take their Jakarta day, the append-only trigger lifted
# for this one UPDATE.
# SQLite rebuilt journal_entry and journal_line to add their columns, dropping their
# append-only triggers: they come back after this one UPDATE.
SQLITE_DATES = (
    "".join(
        f"DROP TRIGGER IF EXISTS {table}_no_{verb};"
        for table in ("journal_entry", "journal_line")
        for verb in ("update", "delete")
    )
    + "UPDATE journal_entry SET date = date(substr(created_at, 1, 19), '+7 hours');"
    + "".join(
        f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
        "BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;"
        for table in ("journal_entry", "journal_line")
        for verb in ("UPDATE", "DELETE")
    )
)
POSTGRES_DATES = """
ALTER TABLE journal_entry DISABLE TRIGGER journal_entry_append_only;
UPDATE journal_entry SET date = (created_at AT TIME ZONE 'Asia/Jakarta')::date;
ALTER TABLE journal_entry ENABLE TRIGGER journal_entry_append_only;
"""

# No entry without a day, and none dated in a CLOSED year (nor, while a year is CLOSING,
# any but its CLOSING entry), whoever writes it: resolvers, sweeps, migrations, code.
_SQLITE_REFUSED = (
    "EXISTS (SELECT 1 FROM book_year y WHERE y.cooperative_id = {e}.cooperative_id "
    "AND y.year = CAST(substr({e}.date, 1, 4) AS INTEGER) "
    "AND (y.state = 'CLOSED' OR (y.state = 'CLOSING' AND {e}.kind <> 'CLOSING')))"
)
SQLITE_CLOSED_YEARS = (
    "CREATE TRIGGER journal_entry_closed_year BEFORE INSERT ON journal_entry "
    "WHEN NEW.date IS NULL OR " + _SQLITE_REFUSED.format(e="NEW") + " "
    "BEGIN SELECT RAISE(ABORT, 'closed book year'); END;"
    "CREATE TRIGGER journal_line_closed_year BEFORE INSERT ON journal_line "
    "WHEN EXISTS (SELECT 1 FROM journal_entry e WHERE e.id = NEW.entry_id AND "
    + _SQLITE_REFUSED.format(e="e")
    + ") "
    "BEGIN SELECT RAISE(ABORT, 'closed book year'); END;"
)
# FOR SHARE: a writer waits for a close in progress and then sees the year CLOSED.
POSTGRES_CLOSED_YEARS = """
CREATE FUNCTION journal_closed_year() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    day date;
    entry_kind text;
    coop bigint;
    year_state text;
BEGIN
    IF TG_TABLE_NAME = 'journal_entry' THEN
        day := NEW.date; entry_kind := NEW.kind; coop := NEW.cooperative_id;
    ELSE
        SELECT e.date, e.kind, e.cooperative_id INTO day, entry_kind, coop
        FROM journal_entry e WHERE e.id = NEW.entry_id;
    END IF;
    IF day IS NULL THEN
        RAISE EXCEPTION 'closed book year: an entry needs a date'
            USING ERRCODE = 'restrict_violation';
    END IF;
    SELECT y.state INTO year_state FROM book_year y
    WHERE y.cooperative_id = coop AND y.year = EXTRACT(YEAR FROM day)::int FOR SHARE;
    IF year_state = 'CLOSED' OR (year_state = 'CLOSING' AND entry_kind <> 'CLOSING') THEN
        RAISE EXCEPTION 'closed book year' USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER journal_entry_closed_year BEFORE INSERT ON journal_entry
    FOR EACH ROW EXECUTE FUNCTION journal_closed_year();
CREATE TRIGGER journal_line_closed_year BEFORE INSERT ON journal_line
    FOR EACH ROW EXECUTE FUNCTION journal_closed_year();
"""
SQLITE_OPEN_YEARS = (
    "DROP TRIGGER IF EXISTS journal_entry_closed_year;"
    "DROP TRIGGER IF EXISTS journal_line_closed_year;"
)
POSTGRES_OPEN_YEARS = """
DROP TRIGGER IF EXISTS journal_entry_closed_year ON journal_entry;
DROP TRIGGER IF EXISTS journal_line_closed_year ON journal_line;
DROP FUNCTION IF EXISTS journal_closed_year();
"""


# An entry is reversed once: the unique index holds against racing reversals (SQLite's
# rebuilt table does not carry the field's UNIQUE).
ONE_REVERSAL = (
    "CREATE UNIQUE INDEX IF NOT EXISTS journal_entry_one_reversal ON journal_entry (reversal_of_id)"
)


async def forward(apps, schema_editor) -> None:
    client = schema_editor.client
    postgres = client.capabilities.dialect == "postgres"
    await client.execute_script(ONE_REVERSAL)
    await client.execute_script(POSTGRES_DATES if postgres else SQLITE_DATES)
    await client.execute_script(POSTGRES_CLOSED_YEARS if postgres else SQLITE_CLOSED_YEARS)
    await seed_chart(client)


async def seed_chart(client) -> None:
    """Every cooperative's chart made the KSP chart, its existing accounts kept by code."""
    postgres = client.capabilities.dialect == "postgres"
    mark = (lambda n: f"${n}") if postgres else (lambda n: f"?{n}")
    await client.execute_query(
        f"UPDATE ledger_account SET name = {mark(1)} WHERE code = {mark(2)}", ["Kas", "1-1100"]
    )
    await client.execute_query(
        f"UPDATE ledger_account SET name = {mark(1)} WHERE code = {mark(2)}",
        ["Utang kepada Platform", "2-1200"],
    )
    for code, name, kind, is_cash, is_control in CHART:
        await client.execute_query(
            f"UPDATE ledger_account SET is_cash = {mark(1)}, is_control = {mark(2)} "
            f"WHERE code = {mark(3)}",
            [is_cash, is_control, code],
        )
        await client.execute_query(
            "INSERT INTO ledger_account (cooperative_id, code, name, kind, is_cash, is_control, "
            f"is_system) SELECT c.id, CAST({mark(1)} AS VARCHAR(10)), "
            f"CAST({mark(2)} AS VARCHAR(80)), CAST({mark(3)} AS VARCHAR(10)), "
            f"CAST({mark(4)} AS BOOLEAN), CAST({mark(5)} AS BOOLEAN), CAST({mark(6)} AS BOOLEAN) "
            "FROM cooperative c WHERE NOT EXISTS (SELECT 1 FROM ledger_account a "
            f"WHERE a.cooperative_id = c.id AND a.code = CAST({mark(1)} AS VARCHAR(10)))",
            [code, name, kind, is_cash, is_control, True],
        )


async def backward(apps, schema_editor) -> None:
    client = schema_editor.client
    postgres = client.capabilities.dialect == "postgres"
    await client.execute_script(POSTGRES_OPEN_YEARS if postgres else SQLITE_OPEN_YEARS)
    await client.execute_script("DROP INDEX IF EXISTS journal_entry_one_reversal")


class Migration(migrations.Migration):
    dependencies = [("satupintu", "0029_reviews")]

    initial = False

    operations = [
        ops.CreateModel(
            name="BookYear",
            fields=[
                (
                    "id",
                    fields.BigIntField(
                        generated=True, primary_key=True, unique=True, db_index=True
                    ),
                ),
                (
                    "cooperative",
                    fields.ForeignKeyField(
                        "satupintu.Cooperative",
                        source_field="cooperative_id",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("year", fields.IntField()),
                (
                    "state",
                    fields.CharEnumField(
                        default=BookYearState.OPEN,
                        description="OPEN: OPEN\nCLOSING: CLOSING\nCLOSED: CLOSED",
                        enum_type=BookYearState,
                        max_length=10,
                    ),
                ),
                ("closed_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                (
                    "closed_by",
                    fields.ForeignKeyField(
                        "satupintu.User",
                        source_field="closed_by_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("surplus", fields.BigIntField(null=True)),
                (
                    "closing_entry",
                    fields.ForeignKeyField(
                        "satupintu.JournalEntry",
                        source_field="closing_entry_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
            ],
            options={
                "table": "book_year",
                "app": "satupintu",
                "unique_together": (("cooperative", "year"),),
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="BookYearEvent",
            fields=[
                (
                    "id",
                    fields.BigIntField(
                        generated=True, primary_key=True, unique=True, db_index=True
                    ),
                ),
                (
                    "book_year",
                    fields.ForeignKeyField(
                        "satupintu.BookYear",
                        source_field="book_year_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="events",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "action",
                    fields.CharEnumField(
                        description="CLOSED: CLOSED\nREOPENED: REOPENED",
                        enum_type=BookYearAction,
                        max_length=10,
                    ),
                ),
                (
                    "by",
                    fields.ForeignKeyField(
                        "satupintu.User",
                        source_field="by_id",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("reason", fields.CharField(default="", max_length=255)),
                ("at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={"table": "book_year_event", "app": "satupintu", "pk_attr": "id"},
            bases=["Model"],
        ),
        ops.AlterField(
            model_name="JournalEntry",
            name="kind",
            field=fields.CharEnumField(
                description="DEPOSIT: DEPOSIT\nWITHDRAWAL: WITHDRAWAL\nLOAN_DISBURSEMENT: LOAN_DISBURSEMENT\nLOAN_REPAYMENT: LOAN_REPAYMENT\nBILL_PAYMENT: BILL_PAYMENT\nPURCHASE: PURCHASE\nREFUND: REFUND\nSHU: SHU\nPAYOUT: PAYOUT\nCASH_RECEIPT: CASH_RECEIPT\nCASH_PAYMENT: CASH_PAYMENT\nGENERAL: GENERAL\nREVERSAL: REVERSAL\nOPENING: OPENING\nALLOWANCE: ALLOWANCE\nWRITE_OFF: WRITE_OFF\nCLOSING: CLOSING",
                enum_type=EntryKind,
                max_length=20,
            ),
        ),
        ops.AddField(
            model_name="JournalEntry",
            name="date",
            field=fields.DateField(null=True),
        ),
        ops.AddField(
            model_name="JournalEntry",
            name="receipt_image",
            field=fields.ForeignKeyField(
                "satupintu.Image",
                source_field="receipt_image_id",
                null=True,
                db_constraint=True,
                to_field="id",
                related_name=False,
                on_delete=OnDelete.RESTRICT,
            ),
        ),
        ops.AddField(
            model_name="JournalEntry",
            name="reversal_of",
            field=fields.ForeignKeyField(
                "satupintu.JournalEntry",
                source_field="reversal_of_id",
                null=True,
                unique=True,
                db_constraint=True,
                to_field="id",
                related_name=False,
                on_delete=OnDelete.RESTRICT,
            ),
        ),
        ops.AddIndex(
            model_name="JournalEntry",
            index=Index(fields=["cooperative_id", "date", "id"]),
        ),
        ops.AddField(
            model_name="JournalLine",
            name="memo",
            field=fields.CharField(null=True, max_length=255),
        ),
        ops.AddField(
            model_name="LedgerAccount",
            name="is_cash",
            field=fields.BooleanField(default=False),
        ),
        ops.AddField(
            model_name="LedgerAccount",
            name="is_control",
            field=fields.BooleanField(default=False),
        ),
        ops.AddField(
            model_name="LedgerAccount",
            name="is_system",
            field=fields.BooleanField(default=True),
        ),
        ops.AddField(
            model_name="LedgerAccount",
            name="parent",
            field=fields.ForeignKeyField(
                "satupintu.LedgerAccount",
                source_field="parent_id",
                null=True,
                db_constraint=True,
                to_field="id",
                related_name=False,
                on_delete=OnDelete.RESTRICT,
            ),
        ),
        ops.AddConstraint(
            model_name="LedgerAccount",
            constraint=UniqueConstraint(fields=("cooperative", "name"), name=None),
        ),
        ops.CreateModel(
            name="Rat",
            fields=[
                (
                    "id",
                    fields.BigIntField(
                        generated=True, primary_key=True, unique=True, db_index=True
                    ),
                ),
                (
                    "cooperative",
                    fields.ForeignKeyField(
                        "satupintu.Cooperative",
                        source_field="cooperative_id",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("year", fields.IntField()),
                ("held_on", fields.DateField()),
                ("members_present", fields.IntField()),
                ("members_eligible", fields.IntField()),
                ("shu_to_distribute", fields.BigIntField()),
                ("reserve_bps", fields.IntField()),
                ("capital_service_bps", fields.IntField()),
                ("member_service_bps", fields.IntField()),
                ("notes", fields.CharField(default="", max_length=1000)),
                (
                    "recorded_by",
                    fields.ForeignKeyField(
                        "satupintu.User",
                        source_field="recorded_by_id",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("recorded_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "rat",
                "app": "satupintu",
                "unique_together": (("cooperative", "year"),),
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.RunPython(forward, backward),
    ]
