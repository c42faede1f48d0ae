"""What a product's options and a variant's values may be: plain rules, no I/O."""

from __future__ import annotations

from dataclasses import dataclass

from resolvers.platform import ErrorCode, Validator

MAX_OPTIONS = 3
MAX_VALUES = 20
MAX_VARIANTS = 100
MAX_OPTION_NAME = 40
MAX_VALUE = 40


@dataclass(frozen=True)
class Option:
    name: str
    values: list[str]


def checked_options(check: Validator, given: list[Option]) -> list[Option]:
    """The options stripped, each problem added to `check` (names and values are compared
    without regard to case, as buyers read them)."""
    if len(given) > MAX_OPTIONS:
        check.add(
            "options", ErrorCode.LIMIT_EXCEEDED, f"Paling banyak {MAX_OPTIONS} pilihan per produk."
        )
    options: list[Option] = []
    names: set[str] = set()
    for i, option in enumerate(given):
        field = f"options.{i}"
        name = check.text(
            f"{field}.name", option.name, "Nama pilihan", MAX_OPTION_NAME, required=True
        )
        if name and name.casefold() in names:
            check.add(f"{field}.name", ErrorCode.INVALID, f"Pilihan {name} disebut dua kali.")
        names.add(name.casefold())
        if not option.values:
            check.add(f"{field}.values", ErrorCode.INVALID, f"Pilihan {name} belum punya nilai.")
        elif len(option.values) > MAX_VALUES:
            check.add(
                f"{field}.values",
                ErrorCode.LIMIT_EXCEEDED,
                f"Pilihan {name} paling banyak {MAX_VALUES} nilai.",
            )
        values: list[str] = []
        seen: set[str] = set()
        for value in option.values:
            text = check.text(f"{field}.values", value, "Nilai pilihan", MAX_VALUE, required=True)
            if text and text.casefold() in seen:
                check.add(f"{field}.values", ErrorCode.INVALID, f"Nilai {text} disebut dua kali.")
            seen.add(text.casefold())
            values.append(text)
        options.append(Option(name, values))
    return options


def option_problem(old: list[Option], new: list[Option], used: list[dict[str, str]]) -> str | None:
    """Why `new` cannot replace `old` while variants hold the values `used`, or None: a
    variant's option and value must stay, and no option is added under existing variants."""
    if not used:
        return None
    if {o.name for o in old} != {o.name for o in new}:
        return (
            "Pilihan tidak bisa ditambah, dihapus atau diganti namanya selama produk punya varian."
        )
    values = {o.name: set(o.values) for o in new}
    for taken in used:
        for name, value in taken.items():
            if value not in values.get(name, set()):
                return (
                    f"Nilai {value} dipakai varian; nonaktifkan variannya, jangan hapus nilainya."
                )
    return None


def variant_values(
    check: Validator, options: list[Option], given: list[tuple[str, str]]
) -> dict[str, str]:
    """One known value of each option, by the option's own spelling; problems to `check`."""
    by_name = {o.name.casefold(): o for o in options}
    chosen: dict[str, str] = {}
    for name, value in given:
        option = by_name.get(name.strip().casefold())
        if option is None:
            check.add("options", ErrorCode.INVALID, f"Produk ini tidak punya pilihan {name}.")
            continue
        if option.name in chosen:
            check.add("options", ErrorCode.INVALID, f"Pilihan {option.name} disebut dua kali.")
            continue
        known = {v.casefold(): v for v in option.values}
        if value.strip().casefold() not in known:
            check.add("options", ErrorCode.INVALID, f"{option.name} tidak punya nilai {value}.")
            continue
        chosen[option.name] = known[value.strip().casefold()]
    named = {n.strip().casefold() for n, _ in given}
    for option in options:
        if option.name.casefold() not in named:
            check.add("options", ErrorCode.INVALID, f"Pilih nilai {option.name}.")
    return chosen


def variant_name(options: list[Option], values: dict[str, str]) -> str:
    """ "M / Merah": the values in the options' order."""
    return " / ".join(values[o.name] for o in options if o.name in values)
