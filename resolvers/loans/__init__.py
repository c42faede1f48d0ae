"""Loans: policy, applying and deciding, schedules, repayment, arrears and the pengurus's views."""

from resolvers.loans import allowance, arrears, contributions, groups, opening, payments, views
from resolvers.loans.allowance import (
    post_loan_loss_allowance,
    post_month_end_allowances,
    write_off_loan,
)
from resolvers.loans.arrears import LoanStanding, basis_points, npl_ratio
from resolvers.loans.lifecycle import (
    Application,
    LoanPolicy,
    apply_loan,
    approve_loan,
    disburse_loan,
    loans_page,
    policy_of,
    reject_loan,
    set_loan_policy,
)
from resolvers.loans.payments import (
    apply_allocations,
    denda_policy,
    lock_active_loan,
    open_installments,
    still_open,
)
from resolvers.loans.repayment import allocate, denda_due
from resolvers.loans.schedule import add_months, jakarta_date
from resolvers.loans.views import active_standings

__all__ = [
    "Application",
    "LoanPolicy",
    "LoanStanding",
    "active_standings",
    "add_months",
    "allocate",
    "allowance",
    "apply_allocations",
    "apply_loan",
    "approve_loan",
    "arrears",
    "basis_points",
    "contributions",
    "denda_due",
    "denda_policy",
    "disburse_loan",
    "groups",
    "jakarta_date",
    "loans_page",
    "lock_active_loan",
    "npl_ratio",
    "open_installments",
    "opening",
    "payments",
    "policy_of",
    "post_loan_loss_allowance",
    "post_month_end_allowances",
    "reject_loan",
    "set_loan_policy",
    "still_open",
    "views",
    "write_off_loan",
]
