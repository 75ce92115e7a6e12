"""Importing and exporting the roll as CSV, through the organiser's pages."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from omov.audit.models import AuditEvent
from omov.members.models import GroupChange, Member, MemberImport, Status, StatusChange

from .helpers import client_for, days_ago, local_group, member, organiser

HEADER = "membership_number,name,email,local_group,status,status_since,joined_on\n"


def upload(client: Client, content: str, name: str = "roll.csv") -> MemberImport:
    response = client.post(
        reverse("members:import_upload"),
        {"roll_file": SimpleUploadedFile(name, content.encode(), content_type="text/csv")},
    )
    assert response.status_code == 302, response.content.decode()
    return MemberImport.objects.latest("id")


def preview(client: Client, staged: MemberImport) -> str:
    return client.get(reverse("members:import_preview", args=[staged.pk])).content.decode()


def confirm(client: Client, staged: MemberImport) -> None:
    client.post(reverse("members:import_preview", args=[staged.pk]))


def import_file(client: Client, content: str) -> MemberImport:
    staged = upload(client, content)
    confirm(client, staged)
    staged.refresh_from_db()
    return staged


def roll_snapshot() -> tuple[int, int, int]:
    public_events = AuditEvent.objects.filter(public=True).count()
    return Member.objects.count(), StatusChange.objects.count(), public_events


def organiser_client() -> Client:
    local_group("Camden")
    local_group("Hackney")
    return client_for(organiser())


def test_preview_lists_every_bad_row_and_why_and_writes_nothing() -> None:
    client = organiser_client()
    before = roll_snapshot()
    staged = upload(
        client,
        HEADER
        + "M1,Ann Active,ann@example.org,Camden,active,2024-01-01,\n"
        + "M2,No Email,,Camden,active,,\n"
        + "M3,Bad Email,not-an-address,Camden,active,,\n"
        + "M4,Lost,lost@example.org,Atlantis,active,,\n"
        + "M5,Odd Status,odd@example.org,Camden,resting,,\n"
        + "M6,Bad Date,date@example.org,Camden,active,31/02/2024,\n"
        + "M1,Twin,twin@example.org,Camden,active,,\n"
        + "M7,Same Mail,ANN@example.org,Camden,active,,\n"
        + ",No Number,nonumber@example.org,Camden,active,,\n"
        + "M8,,noname@example.org,Hackney,active,,\n"
        + "M9,Future,future@example.org,Hackney,active,2999-01-01,\n",
    )
    page = preview(client, staged)
    expected = [
        ("3", "email is missing"),
        ("4", "“not-an-address” is not a valid email address"),
        ("5", "unknown local group “Atlantis”"),
        ("6", "unknown status “resting”"),
        ("7", "“31/02/2024” is not a date (use YYYY-MM-DD)"),
        ("8", "duplicate of line 2"),
        ("9", "duplicate of line 2"),
        ("10", "membership number is missing for a new member"),
        ("11", "name is missing"),
        ("12", "2999-01-01 is in the future"),
    ]
    for line, message in expected:
        assert f"<td>{line}</td>" in page, line
        assert message in page, message
    assert "10 bad rows" in page
    assert "Confirm and import" not in page
    confirm(client, staged)
    assert roll_snapshot() == before
    staged.refresh_from_db()
    assert staged.committed_at is None


def test_a_file_without_the_needed_columns_is_refused() -> None:
    client = organiser_client()
    page = preview(client, upload(client, "number,who\n1,Ann\n"))
    assert "missing: membership_number, name, email, local_group, status" in page


def test_a_clean_file_imports_after_confirmation() -> None:
    client = organiser_client()
    content = (
        HEADER
        + "M1,Ann Active,ann@example.org,Camden,active,,2020-05-01\n"
        + f"M2,Leo Lapsed,leo@example.org,Hackney,lapsed,{days_ago(40)},2019-01-01\n"
        + "M3,Nia Nogroup,nia@example.org,,active,,\n"
    )
    staged = upload(client, content)
    assert "3 new, 0 updated, 0 unchanged" in preview(client, staged)
    assert not Member.objects.filter(membership_number__in=["M1", "M2", "M3"]).exists()
    confirm(client, staged)
    leo = Member.objects.get(membership_number="M2")
    assert leo.status == Status.LAPSED and leo.local_group == local_group("Hackney")
    history = leo.status_history.order_by("effective_on")
    assert [(c.to_status, c.effective_on) for c in history] == [
        ("active", days_ago(0).replace(year=2019, month=1, day=1)),
        ("lapsed", days_ago(40)),
    ]
    event = AuditEvent.objects.get(action="import_members")
    assert event.public and event.details["new"] == 3


def test_importing_the_same_file_twice_changes_nothing_the_second_time() -> None:
    client = organiser_client()
    content = (
        HEADER
        + "M1,Ann Active,ann@example.org,Camden,active,2020-05-01,\n"
        + "M2,Leo Lapsed,leo@example.org,Hackney,lapsed,2021-01-01,2019-01-01\n"
    )
    import_file(client, content)
    members, changes, _ = roll_snapshot()
    staged = upload(client, content)
    assert "0 new, 0 updated, 2 unchanged" in preview(client, staged)
    confirm(client, staged)
    assert roll_snapshot()[:2] == (members, changes)


def test_a_status_change_in_the_file_becomes_a_history_row() -> None:
    client = organiser_client()
    sam = member("Sam Okafor", email="sam@example.org", joined_days_ago=300)
    import_file(
        client,
        HEADER + f"{sam.membership_number},Sam Okafor,sam@example.org,Camden,lapsed,"
        f"{days_ago(20)},\n",
    )
    sam.refresh_from_db()
    assert sam.status == Status.LAPSED
    last = sam.status_history.order_by("id").last()
    assert last is not None
    assert (last.from_status, last.to_status, last.effective_on) == (
        "active", "lapsed", days_ago(20),
    )
    assert last.reason == "Roll import: roll.csv"


def test_rows_without_a_number_match_by_email_and_update_details() -> None:
    client = organiser_client()
    sam = member("Sam Okafor", email="sam@example.org", group="Camden")
    import_file(client, HEADER + ",Samuel Okafor,SAM@example.org,Hackney,active,,\n")
    sam.refresh_from_db()
    assert (sam.name, sam.local_group) == ("Samuel Okafor", local_group("Hackney"))
    assert Member.objects.count() == 2  # Sam and the organiser: no one was added
    [moved] = GroupChange.objects.filter(member=sam)
    assert (moved.from_group, moved.to_group) == (local_group("Camden"), local_group("Hackney"))


def test_a_number_and_an_email_of_two_different_members_is_a_bad_row() -> None:
    client = organiser_client()
    sam = member("Sam Okafor", email="sam@example.org")
    page = preview(
        client, upload(client, HEADER + "NEW1,Sam Again,sam@example.org,Camden,active,,\n")
    )
    assert f"sam@example.org belongs to member {sam.membership_number}" in page


def test_export_then_import_is_a_round_trip() -> None:
    client = organiser_client()
    member("=Formula Person", joined_days_ago=500, status=Status.LAPSED)
    member("Jo Bloggs", group=None)
    response = client.get(reverse("members:export"))
    assert response["Content-Type"].startswith("text/csv")
    exported = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
    assert exported.startswith(HEADER.strip())
    assert "'=Formula Person" in exported, "cells that spreadsheets would run are quoted"
    assert AuditEvent.objects.filter(action="export_roll").exists()
    before = roll_snapshot()[:2]
    staged = upload(client, exported)
    assert f"0 new, 0 updated, {before[0]} unchanged" in preview(client, staged)
    confirm(client, staged)
    assert roll_snapshot()[:2] == before
