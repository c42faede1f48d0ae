"""The outstanding loans of a cooperative moving in (saldo awal), each ACTIVE from the
cut-over day with its remaining installments scheduled monthly from the next one's due date,
by the same schedule rules as a loan disbursed here."""

from __future__ import annotations

from datetime import date

from models.cooperatives import Cooperative
from models.loans import Loan, LoanInstallment, LoanStatus
from resolvers.cooperatives import opening
from resolvers.loans.schedule import add_months, check_terms, schedule

BATCH = 500


async def open_imported_loans(
    cooperative: Cooperative, loans: list[opening.ImportedLoan], pengurus_id: int, cut_over: date
) -> None:
    """In the import's transaction; the opening entry carries their principal."""
    started = opening.moment(cut_over)
    await Loan.bulk_create(
        [
            Loan(
                membership_id=loan.membership_id, status=LoanStatus.ACTIVE,
                principal=loan.terms.principal, tenor_months=loan.terms.installments,
                purpose="Saldo awal", method=loan.terms.method,
                annual_rate_bps=loan.terms.rate_bps, outstanding=loan.terms.principal,
                applicant_id=loan.holder_id, decided_by_id=pengurus_id, decided_at=started,
                disbursed_by_id=pengurus_id, disbursed_at=started,
            )
            for loan in loans
        ],
        batch_size=BATCH,
    )  # fmt: skip
    ids = dict(
        await Loan.filter(membership_id__in=[loan.membership_id for loan in loans]).values_list(
            "membership_id", "id"
        )
    )
    installments = []
    for loan in loans:
        terms = loan.terms
        planned = schedule(terms.principal, terms.rate_bps, terms.installments, terms.method,
                           cut_over, cooperative.installment_multiple)  # fmt: skip
        installments += [
            LoanInstallment(
                loan_id=ids[loan.membership_id], number=i.number,
                due_date=add_months(terms.next_due, i.number - 1), principal=i.principal,
                interest=i.interest,
            )
            for i in planned
        ]  # fmt: skip
    await LoanInstallment.bulk_create(installments, batch_size=BATCH)


LENDING = opening.Lending(check_terms=check_terms, open_loans=open_imported_loans)
