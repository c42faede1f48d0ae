"""Moving an existing cooperative in (saldo awal): the template, the import, and an imported
member claiming their membership."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated, cast

import strawberry
from strawberry.file_uploads import Upload
from strawberry.types import Info

from models import cooperatives as m
from resolvers import loans
from resolvers.cooperatives import claims, downloads, opening
from resolvers.platform import ErrorCode as Code
from resolvers.platform import now
from schema.cooperatives.books import JournalEntry, books_readable
from schema.platform import (
    ERRORS,
    ErrorCode,
    Money,
    UserError,
    decode_id,
    later,
    payload_of,
)
from schema.platform.accounts import OkPayload

if TYPE_CHECKING:
    from schema.cooperatives.cooperative import MembershipPayload


async def template_link(info: Info, cooperative_id: int) -> tuple[str, dt.datetime] | None:
    """The signed template URL and its expiry, the same for both fields of one answer; None
    for anyone but the pengurus and the Dinas."""
    if not await books_readable(info, cooperative_id):
        return None
    links = info.context.extra.setdefault("opening_templates", {})
    if cooperative_id not in links:
        path, expires = downloads.signed_template(
            info.context.services.download_secret, cooperative_id, now()
        )
        links[cooperative_id] = (info.context.absolute_url(path), expires)
    return cast(tuple[str, dt.datetime], links[cooperative_id])


@strawberry.type(description="A problem in one cell of the saldo awal file.")
class OpeningBalanceRowError:
    sheet: str = strawberry.field(description="The sheet's name, as in the template.")
    row: int = strawberry.field(description="The row number as the spreadsheet shows it.")
    column: str = strawberry.field(description="The column's header, as in the template.")
    code: ErrorCode = strawberry.field(description="INVALID, REQUIRED or DUPLICATE.")
    message: str = strawberry.field(description="Why, in Bahasa Indonesia.")


@strawberry.type(description="The answer to importOpeningBalances.")
class ImportOpeningBalancesPayload:
    dry_run: bool = strawberry.field(default=False, description="Whether it was a dry run.")
    imported: bool = strawberry.field(
        default=False, description="Whether this request wrote the import."
    )
    already_imported: bool = strawberry.field(
        default=False,
        description="The same file was imported before: nothing written, its counts shown.",
    )
    members: int = strawberry.field(default=0, description="Member rows imported (or would be).")
    loans: int = strawberry.field(default=0, description="Loan rows imported (or would be).")
    total_debit: Money | None = strawberry.field(
        default=None, description="The opening entry's debits: accounts' debits and loans."
    )
    total_credit: Money | None = strawberry.field(
        default=None, description="The opening entry's credits: accounts' credits and savings."
    )
    row_errors: list[OpeningBalanceRowError] = strawberry.field(
        default_factory=list, description="Every problem in the file's rows; nothing written."
    )
    journal_entry: JournalEntry | None = strawberry.field(
        default=None, description="The OPENING entry, once imported."
    )
    errors: list[UserError] = strawberry.field(default_factory=list, description=ERRORS)

    @classmethod
    def of(cls, found: opening.Outcome) -> ImportOpeningBalancesPayload:
        refused = [UserError(field="file", code=Code.INVALID, message=found.refusal or "")]
        return cls(
            dry_run=found.dry_run,
            imported=found.imported,
            already_imported=found.already_imported,
            members=found.members,
            loans=found.loans,
            total_debit=Money(amount=found.total_debit),
            total_credit=Money(amount=found.total_credit),
            row_errors=[
                OpeningBalanceRowError(
                    sheet=e.sheet, row=e.row, column=e.column, code=e.code, message=e.message
                )
                for e in found.row_errors
            ],
            journal_entry=JournalEntry.of(found.entry) if found.entry else None,
            errors=refused if found.refusal else [],
        )


@strawberry.input(description="Whose imported membership to send a claim code for.")
class MembershipClaimCodeInput:
    cooperative_id: strawberry.ID = strawberry.field(description="The Cooperative.")
    phone: str = strawberry.field(description="As imported: 08..., +628... or 628...")
    nik: str = strawberry.field(description="The member's 16-digit NIK.")


@strawberry.input(description="An imported membership to claim with the code sent for it.")
class ClaimMembershipInput:
    cooperative_id: strawberry.ID = strawberry.field(description="The Cooperative.")
    phone: str = strawberry.field(description="As imported: 08..., +628... or 628...")
    nik: str = strawberry.field(description="The member's 16-digit NIK.")
    code: str = strawberry.field(description="The 6 digits sent to the phone.")


@strawberry.type
class Mutation:
    @strawberry.mutation(
        description="A pengurus with the bookkeeping right: move the cooperative in from the "
        "filled saldo awal template, all or nothing, once (the same file again: "
        "`alreadyImported`). Errors: NOT_FOUND, PERMISSION_DENIED, FILE_TOO_LARGE, "
        "UNSUPPORTED_FILE, INVALID (rows, an unbalanced entry, cutOverDate), INVALID_STATE (a "
        "closed year, another file imported already)."
    )
    async def import_opening_balances(
        self,
        info: Info,
        cooperative_id: Annotated[
            strawberry.ID, strawberry.argument(description="The Cooperative.")
        ],
        file: Annotated[
            Upload, strawberry.argument(description="The filled template (xlsx, up to 10 MB).")
        ],
        cut_over_date: Annotated[
            dt.date,
            strawberry.argument(description="The opening entry's day: not in the future."),
        ],
        dry_run: Annotated[
            bool, strawberry.argument(description="Check everything and write nothing.")
        ],
    ) -> ImportOpeningBalancesPayload:
        async def work() -> opening.Outcome:
            return await opening.import_opening_balances(
                info.context.viewer,
                decode_id(cooperative_id, "Cooperative", "cooperativeId"),
                cast(opening.Upload, file),  # starlette's UploadFile
                cut_over_date,
                dry_run,
                info.context.services.notifier,
                loans.opening.LENDING,
            )

        return await payload_of(ImportOpeningBalancesPayload, work, ImportOpeningBalancesPayload.of)

    @strawberry.mutation(
        description="A signed-in user asks for a code to claim an imported membership: always "
        "`ok` for a well-formed phone and NIK; the code goes only to the imported phone. "
        "Errors: UNAUTHENTICATED, NOT_FOUND, INVALID (phone, nik), LIMIT_EXCEEDED."
    )
    async def request_membership_claim_code(
        self,
        info: Info,
        input: Annotated[MembershipClaimCodeInput, strawberry.argument(description="Which.")],
    ) -> OkPayload:
        async def work() -> None:
            await claims.request_claim_code(
                info.context.viewer,
                decode_id(input.cooperative_id, "Cooperative", "input.cooperativeId"),
                input.phone,
                input.nik,
                info.context.services.phone_messages,
            )

        return await payload_of(OkPayload, work, lambda _: OkPayload(ok=True))

    @strawberry.mutation(
        description="A signed-in user claims an imported membership with the code sent to its "
        "phone. Errors: UNAUTHENTICATED, NOT_FOUND, REQUIRED (code), INVALID (code), "
        "LIMIT_EXCEEDED (locked after wrong codes), DUPLICATE (a member already)."
    )
    async def claim_membership(
        self,
        info: Info,
        input: Annotated[ClaimMembershipInput, strawberry.argument(description="The claim.")],
    ) -> Annotated[MembershipPayload, strawberry.lazy("schema.cooperatives.cooperative")]:
        payload = later("schema.cooperatives.cooperative", "MembershipPayload")

        async def work() -> m.Membership:
            return await claims.claim_membership(
                info.context.viewer,
                decode_id(input.cooperative_id, "Cooperative", "input.cooperativeId"),
                input.phone,
                input.nik,
                input.code,
                info.context.services.events,
            )

        return cast(
            "MembershipPayload",
            await payload_of(
                payload,
                work,
                lambda found: payload(
                    membership=later("schema.cooperatives.cooperative", "Membership").of(found)
                ),
            ),
        )
