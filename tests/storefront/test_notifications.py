"""Notifikasi in the storefront: the list, marking one or all read, and the channels on the
account page."""

from __future__ import annotations

from models.platform import User
from resolvers.platform import NotificationKind, notify
from tests.platform.notification_helpers import user_pk


async def test_the_list_marks_one_then_all_read(visitor, gql):
    account = await visitor.sign_up_and_in(gql)
    for number in (1, 2):
        await notify(
            NotificationKind.PAYOUT_COMPLETED,
            ("Payout", number),
            [user_pk(account)],
            f"Pencairan ke-{number} berhasil",
            "Rp10.000 sudah masuk.",
        )
    page = await visitor.get("/notifikasi")
    assert page.status_code == 200
    assert "2 belum dibaca dari 2" in page.text
    assert "Pencairan ke-1 berhasil" in page.text
    one = page.text.split('name="id" value="')[1].split('"')[0]
    done = await visitor.submit("/notifikasi", "/notifikasi/baca", {"id": one})
    assert done.status_code == 303
    assert "1 belum dibaca dari 2" in (await visitor.get("/notifikasi")).text
    unread = await visitor.get("/notifikasi?belum=1")
    assert unread.text.count('name="id" value="') == 1
    await visitor.submit("/notifikasi", "/notifikasi/baca", {"semua": "1"})
    assert "0 belum dibaca dari 2" in (await visitor.get("/notifikasi")).text


async def test_someone_elses_notification_is_not_marked(visitor, gql):
    owner = await visitor.sign_up_and_in(gql)
    await notify(NotificationKind.PAYOUT_FAILED, ("Payout", 9), [user_pk(owner)], "Gagal", "x")
    one = (await visitor.get("/notifikasi")).text.split('name="id" value="')[1].split('"')[0]
    await visitor.sign_in(await _other(gql))
    answer = await visitor.submit("/notifikasi", "/notifikasi/baca", {"id": one})
    assert answer.status_code == 303
    assert "Notifikasi tidak ditemukan." in (await visitor.get("/notifikasi")).text


async def test_the_account_page_sets_the_channels(visitor, gql):
    account = await visitor.sign_up_and_in(gql)
    page = await visitor.get("/akun")
    assert 'value="EMAIL" checked' in page.text
    assert "isi nomor telepon dulu" in page.text
    refused = await visitor.submit("/akun", "/akun", {"saluran": "WHATSAPP"})
    assert refused.status_code == 400
    assert "nomor telepon" in refused.text
    await User.filter(id=user_pk(account)).update(phone="+6281311115555")
    saved = await visitor.submit("/akun", "/akun", {"saluran": "WHATSAPP"})
    assert saved.status_code == 303
    after = await visitor.get("/akun")
    assert 'value="WHATSAPP" checked' in after.text
    assert 'value="EMAIL" checked' not in after.text


async def test_signed_out_visitors_are_sent_to_sign_in(visitor):
    for path in ("/notifikasi", "/akun"):
        answer = await visitor.get(path)
        assert answer.status_code in (302, 303), path
        assert answer.headers["location"].startswith("/masuk")


async def _other(gql) -> dict:
    from tests.conftest import sign_up

    return await sign_up(gql)


def api_calls(page) -> int:
    return int(page.headers["server-timing"].split('desc="')[1].split('"')[0])


async def test_the_header_counts_the_visitors_unread_notifications_in_one_call(visitor, gql):
    signed_out = await visitor.get("/koperasi")
    assert 'class="badge"' not in signed_out.text
    account = await visitor.sign_up_and_in(gql)
    other = await _other(gql)
    none_yet = await visitor.get("/koperasi")
    assert 'href="/notifikasi">Notifikasi</a>' in none_yet.text  # no badge at 0
    assert api_calls(none_yet) == api_calls(signed_out) + 1
    for number in range(3):
        await notify(NotificationKind.PAYOUT_FAILED, ("Payout", number), [user_pk(account)],
                     "Gagal", "x")  # fmt: skip
    await notify(NotificationKind.PAYOUT_FAILED, ("Payout", 7), [user_pk(other)], "Gagal", "x")
    page = await visitor.get("/koperasi")
    assert (
        '<a href="/notifikasi">Notifikasi <span class="badge">3<span class="sr"> belum dibaca'
        "</span></span></a>"
    ) in page.text
    assert api_calls(page) == api_calls(none_yet)  # one call, however many
    await visitor.submit("/notifikasi", "/notifikasi/baca", {"semua": "1"})
    assert 'class="badge"' not in (await visitor.get("/koperasi")).text
