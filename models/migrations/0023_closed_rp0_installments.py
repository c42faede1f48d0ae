"""Rp0 installments left open by schedules from before they were refused are closed.

A loan whose every installment with something to pay is paid was stuck ACTIVE by them (days
past due counting, nothing left to pay): such installments are paid when the loan's last one
was, the loan is PAID_OFF then, and their unpaid Rp0 bills are paid. A loan that still owes
something keeps them; its next payment closes them."""

from tortoise import migrations
from tortoise.migrations import operations as ops

CLOSE_INSTALLMENTS = (
    """
UPDATE loan_installment SET paid_at = (
    SELECT MAX(p.paid_at) FROM loan_installment p WHERE p.loan_id = loan_installment.loan_id
)
WHERE paid_at IS NULL AND principal = 0 AND interest = 0
AND NOT EXISTS (
    SELECT 1 FROM loan_installment q WHERE q.loan_id = loan_installment.loan_id
    AND q.paid_at IS NULL AND (q.principal <> 0 OR q.interest <> 0)
)
""",
    """
UPDATE loan SET status = 'PAID_OFF', paid_off_at = (
    SELECT MAX(i.paid_at) FROM loan_installment i WHERE i.loan_id = loan.id
)
WHERE status = 'ACTIVE'
AND EXISTS (SELECT 1 FROM loan_installment i WHERE i.loan_id = loan.id)
AND NOT EXISTS (SELECT 1 FROM loan_installment i WHERE i.loan_id = loan.id AND i.paid_at IS NULL)
""",
    """
UPDATE bill SET status = 'PAID', paid_at = (
    SELECT i.paid_at FROM loan_installment i WHERE i.id = bill.installment_id
)
WHERE status = 'UNPAID' AND amount = 0 AND admin_fee = 0
AND EXISTS (
    SELECT 1 FROM loan_installment i WHERE i.id = bill.installment_id AND i.paid_at IS NOT NULL
)
""",
)


class Migration(migrations.Migration):
    dependencies = [("satupintu", "0022_nik_owners")]

    initial = False

    operations = [ops.RunSQL(CLOSE_INSTALLMENTS, reverse_sql=ops.RunSQL.noop)]
