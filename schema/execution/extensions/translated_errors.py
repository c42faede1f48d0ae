"""graphql-core's request errors (syntax, validation, variables that do not coerce) in Bahasa
Indonesia, like every other message of the API, matched by pattern. The original English
stays in `extensions.originalMessage`, for searching the web and graphql-core's docs.

A pattern that does not match leaves the message as it is: a newer graphql-core's new
wording is English until a pattern here learns it."""

from __future__ import annotations

import re

Q = r"'([^']*)'"  # a quoted name, type or value
INNER = "(?P<inner>.*)"  # a message inside the message, translated in turn

RULES: list[tuple[str, str]] = [
    (rf"Cannot query field {Q} on type {Q}\.", "Field '{0}' tidak ada pada tipe '{1}'."),
    (rf"Unknown argument {Q} on field {Q}\.", "Argumen '{0}' tidak dikenal pada field '{1}'."),
    (
        rf"Unknown argument {Q} on directive {Q}\.",
        "Argumen '{0}' tidak dikenal pada direktif '{1}'.",
    ),
    (
        rf"Argument {Q} of type {Q} is required, but it was not provided\.",
        "Argumen '{0}' (tipe '{1}') wajib diisi.",
    ),
    (
        rf"Field {Q} argument {Q} of type {Q} is required, but it was not provided\.",
        "Argumen '{1}' (tipe '{2}') dari field '{0}' wajib diisi.",
    ),
    (
        rf"Field {Q} of type {Q} must have a selection of subfields\.",
        "Field '{0}' bertipe '{1}' harus memilih subfield-nya.",
    ),
    (
        rf"Field {Q} must not have a selection since type {Q} has no subfields\.",
        "Field '{0}' tidak boleh memilih subfield: tipe '{1}' tidak punya subfield.",
    ),
    (rf"Unknown type {Q}\.", "Tipe '{0}' tidak dikenal."),
    (rf"Unknown fragment {Q}\.", "Fragment '{0}' tidak dikenal."),
    (rf"Unknown directive {Q}\.", "Direktif '{0}' tidak dikenal."),
    (rf"Fragment {Q} is never used\.", "Fragment '{0}' tidak pernah dipakai."),
    (
        rf"Variable {Q} is not defined by operation {Q}\.",
        "Variabel '{0}' tidak dideklarasikan oleh operasi '{1}'.",
    ),
    (rf"Variable {Q} is not defined\.", "Variabel '{0}' tidak dideklarasikan."),
    (
        rf"Variable {Q} is never used in operation {Q}\.",
        "Variabel '{0}' tidak pernah dipakai di operasi '{1}'.",
    ),
    (rf"Variable {Q} is never used\.", "Variabel '{0}' tidak pernah dipakai."),
    (
        rf"Variable {Q} of type {Q} used in position expecting type {Q}\.",
        "Variabel '{0}' bertipe '{1}' dipakai di tempat yang meminta tipe '{2}'.",
    ),
    (
        rf"Variable {Q} cannot be non-input type {Q}\.",
        "Variabel '{0}' tidak boleh bertipe '{1}', yang bukan tipe input.",
    ),
    (rf"Variable {Q} has invalid value: {INNER}", "Nilai variabel '{0}' tidak valid: {inner}"),
    (
        rf"Variable {Q} got invalid value (.*?); {INNER}",
        "Nilai variabel '{0}' ({1}) tidak valid: {inner}",
    ),
    (
        rf"Variable {Q} of required type {Q} was not provided\.",
        "Variabel '{0}' bertipe wajib '{1}' tidak diberikan.",
    ),
    (
        rf"Variable {Q} of non-null type {Q} must not be null\.",
        "Variabel '{0}' bertipe wajib '{1}' tidak boleh null.",
    ),
    (
        rf"Expected value of type {Q}, found (.*?); {INNER}",
        "Nilai bertipe '{0}' diharapkan, ditemukan {1}: {inner}",
    ),
    (
        rf"Expected value of type {Q}, found (.*)\.",
        "Nilai bertipe '{0}' diharapkan, ditemukan {1}.",
    ),
    (
        rf"Expected value of type {Q} not to include unknown field {Q}, found: (.*)\.",
        "Nilai bertipe '{0}' memuat field '{1}' yang tidak dikenal: {2}.",
    ),
    (
        rf"Expected a value of non-null type {Q} to be provided\.",
        "Nilai bertipe wajib '{0}' harus diberikan.",
    ),
    (
        rf"Expected value of non-null type {Q} not to be None\.",
        "Nilai bertipe wajib '{0}' tidak boleh null.",
    ),
    (
        rf"Field {Q} of required type {Q} was not provided\.",
        "Field '{0}' bertipe wajib '{1}' tidak diberikan.",
    ),
    (rf"Value {Q} does not exist in {Q} enum\.", "Nilai '{0}' tidak ada di enum '{1}'."),
    (
        rf"Enum {Q} cannot represent non-enum value: (.*?)\.?",
        "Enum '{0}' tidak mengenal nilai {1}.",
    ),
    (r"Int cannot represent non-integer value: (.*)", "Int harus bilangan bulat, bukan {0}"),
    (
        r"Int cannot represent non 32-bit signed integer value: (.*)",
        "Int hanya memuat bilangan bulat 32-bit (sampai 2147483647), bukan {0}",
    ),
    (r"Float cannot represent non numeric value: (.*)", "Float harus angka, bukan {0}"),
    (r"String cannot represent a non string value: (.*)", "String harus teks, bukan {0}"),
    (
        r"Boolean cannot represent a non boolean value: (.*)",
        "Boolean harus true atau false, bukan {0}",
    ),
    (
        r"ID cannot represent a non-string and non-integer value: (.*)",
        "ID harus teks atau bilangan bulat, bukan {0}",
    ),
    (
        rf"Fields {Q} conflict because {Q} and {Q} are different fields\..*",
        "Field '{0}' bertentangan: '{1}' dan '{2}' field yang berbeda. Pakai alias yang berbeda.",
    ),
    (
        rf"Fields {Q} conflict because they have differing arguments\..*",
        "Field '{0}' bertentangan: argumennya berbeda. Pakai alias yang berbeda.",
    ),
    (
        rf"There can be only one operation named {Q}\.",
        "Hanya boleh ada satu operasi bernama '{0}'.",
    ),
    (
        rf"There can be only one fragment named {Q}\.",
        "Hanya boleh ada satu fragment bernama '{0}'.",
    ),
    (
        rf"There can be only one variable named {Q}\.",
        "Hanya boleh ada satu variabel bernama '{0}'.",
    ),
    (rf"There can be only one argument named {Q}\.", "Hanya boleh ada satu argumen bernama '{0}'."),
    (
        r"This anonymous operation must be the only defined operation\.",
        "Operasi tanpa nama harus menjadi satu-satunya operasi di dokumen.",
    ),
    (
        r"(?:Anonymous Subscription|Subscription '[^']*') must select only one top level field\.",
        "Subscription harus memilih tepat satu field teratas.",
    ),
    (
        r"(?:Anonymous Subscription|Subscription '[^']*') must not select an introspection top"
        r" level field\.",
        "Subscription tidak boleh memilih field introspeksi di tingkat teratas.",
    ),
    (
        rf"Fragment (?:{Q} )?cannot be spread here as objects of type {Q} can never be of type"
        rf" {Q}\.",
        "Fragment tidak bisa dipakai di sini: objek bertipe '{1}' tidak pernah bertipe '{2}'.",
    ),
    (rf"Directive {Q} may not be used on (.*)\.", "Direktif '{0}' tidak boleh dipakai pada {1}."),
    (
        rf"The directive {Q} can only be used once at this location\.",
        "Direktif '{0}' hanya boleh sekali di sini.",
    ),
    (r"Syntax Error: (?P<inner>.*)", "Kesalahan sintaks: {inner}"),
    (r"Expected (.*), found (.*)\.", "diharapkan {0}, ditemukan {1}."),
    (r"Unexpected (.*)\.", "{0} tidak terduga."),
    (r"Unterminated string\.", "string tidak ditutup."),
    (
        r"Document contains more than (\d+) tokens\. Parsing aborted\.",
        "dokumen berisi lebih dari {0} token; penguraian dihentikan.",
    ),
]
COMPILED = [(re.compile(pattern, re.DOTALL), template) for pattern, template in RULES]
DID_YOU_MEAN = re.compile(r"^(?P<main>.*?) Did you mean (?P<options>.*)\?$", re.DOTALL)


def translate(message: str) -> str | None:
    """`message` in Bahasa Indonesia, or None when no pattern knows it."""
    suffix = ""
    hint = DID_YOU_MEAN.match(message)
    if hint:
        options = hint["options"].replace(" or ", " atau ").replace("the enum value ", "")
        message, suffix = hint["main"], f" Mungkin maksud Anda {options}?"
    for pattern, template in COMPILED:
        found = pattern.fullmatch(message)
        if found is None:
            continue
        values = dict(found.groupdict())
        plain = [
            g for i, g in enumerate(found.groups(), 1) if i != found.re.groupindex.get("inner")
        ]
        if "inner" in values:
            values["inner"] = translate(values["inner"]) or values["inner"]
        return template.format(*plain, **values) + suffix
    return None
