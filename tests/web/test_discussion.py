"""Discussion: posting rules, nesting, edits, deletion, moderation, reactions, notices."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from omov.accounts.actions import grant_role
from omov.accounts.models import GrantedRole
from omov.audit.models import AuditEvent
from omov.ballots.models import Ballot
from omov.discussion import actions, notices, selectors
from omov.discussion.errors import DiscussionError
from omov.discussion.models import Comment, NoticeFrequency, NoticePreference, Report
from omov.members.models import Member, Status
from omov.web.mail import absolute_url

from .helpers import client_for, member, organiser
from .test_ballots_helpers import published


@pytest.fixture
def ballot() -> Ballot:
    return published(voters=1, trustees=2, threshold=1).ballot


def thread_url(ballot: Ballot) -> str:
    return reverse("discussion:thread", args=["ballots.ballot", ballot.pk])


def moderator(name: str = "Morgan Lee") -> Member:
    person = member(name)
    grant_role(person, GrantedRole.MODERATOR, by=organiser("Olu Ade"))
    return person


def test_a_member_posts_and_the_thread_shows_name_and_local_group(ballot: Ballot) -> None:
    sam = member("Sam Okafor", group="Camden")
    client = client_for(sam)
    response = client.post(
        reverse("discussion:post", args=["ballots.ballot", ballot.pk]),
        {"body": "We need a *full* meeting."},
    )
    assert response.status_code == 302
    page = client.get(thread_url(ballot)).content.decode()
    assert "Sam Okafor, Camden" in page and "<em>full</em>" in page
    detail = client.get(reverse("ballots:detail", args=[ballot.slug])).content.decode()
    assert "We need a" in detail and "Reactions are not votes." in detail


@pytest.mark.parametrize("status", [Status.LAPSED, Status.CANCELLED])
def test_lapsed_and_cancelled_members_read_but_cannot_post(ballot: Ballot, status: Status) -> None:
    actions.post_comment(ballot, author=member("Ann Active"), body="Hello all")
    former = member("Lee Former", status=status)
    with pytest.raises(DiscussionError):
        actions.post_comment(ballot, author=former, body="Let me in")
    client = client_for(former)
    assert "Hello all" in client.get(thread_url(ballot)).content.decode()
    response = client.post(
        reverse("discussion:post", args=["ballots.ballot", ballot.pk]), {"body": "Let me in"}
    )
    assert response.status_code == 403
    assert not Comment.objects.filter(body="Let me in").exists()


def test_a_draft_ballot_has_no_visible_thread() -> None:
    from .test_ballots_helpers import drafted

    draft = drafted(voters=1, trustees=2, threshold=1).ballot
    with pytest.raises(DiscussionError):
        actions.post_comment(draft, author=member(), body="Early")
    assert client_for(member()).get(thread_url(draft)).status_code == 404
    organiser_page = client_for(organiser()).get(
        reverse("ballots:detail", args=[draft.slug])).content.decode()
    assert "Members can discuss the ballot once its manifest is published." in organiser_page
    assert "you can read the discussion" not in organiser_page


def test_the_ballot_page_thread_does_not_link_the_ballot_to_itself(ballot: Ballot) -> None:
    client = client_for(member("Sam Okafor"))
    detail = client.get(reverse("ballots:detail", args=[ballot.slug])).content.decode()
    assert "Reactions are not votes." in detail
    assert "The vote on this question" not in detail
    assert "The vote on this question" in client.get(thread_url(ballot)).content.decode()


def test_replies_nest_three_levels_then_flatten(ballot: Ballot) -> None:
    people = [member(f"Person {i}") for i in range(6)]
    comment = actions.post_comment(ballot, author=people[0], body="Top")
    for person in people[1:]:
        comment = actions.post_comment(ballot, author=person, body="Reply", parent=comment)
    depths = list(Comment.objects.order_by("pk").values_list("depth", flat=True))
    assert depths == [0, 1, 2, 3, 3, 3]


def test_orders_and_paging(ballot: Ballot) -> None:
    people = [member(f"Writer {i}") for i in range(3)]
    first = actions.post_comment(ballot, author=people[0], body="First")
    actions.post_comment(ballot, author=people[1], body="Second")
    actions.post_comment(ballot, author=people[2], body="A reply", parent=first)
    thread = selectors.existing_thread(ballot)
    _, oldest = selectors.thread_page(thread, None, order="oldest", page=1)
    _, newest = selectors.thread_page(thread, None, order="newest", page=1)
    _, replied = selectors.thread_page(thread, None, order="replied", page=1)
    assert [v.comment.body for v in oldest] == ["First", "Second"]
    assert [v.comment.body for v in newest] == ["Second", "First"]
    assert replied[0].comment.body == "First" and replied[0].replies[0].comment.body == "A reply"


def test_a_permalink_reaches_the_page_holding_the_comment(ballot: Ballot) -> None:
    writers = [member(f"Many {i}") for i in range(3)]
    made = []
    for i in range(selectors.PER_PAGE + 2):
        made.append(
            Comment.objects.create(
                thread=actions.thread_for(ballot), author=writers[i % 3], body=f"Comment {i}"
            )
        )
    response = client_for(writers[0]).get(reverse("discussion:comment", args=[made[-1].pk]))
    assert response.status_code == 302
    assert response["Location"].endswith(f"page=2#comment-{made[-1].pk}")
    page = client_for(writers[0]).get(response["Location"]).content.decode()
    assert f'id="comment-{made[-1].pk}"' in page


def test_edits_keep_a_visible_history(ballot: Ballot) -> None:
    sam = member()
    comment = actions.post_comment(ballot, author=sam, body="Four were absent.")
    actions.edit_comment(comment, by=sam, body="Three were absent.")
    with pytest.raises(DiscussionError):
        actions.edit_comment(comment, by=member("Not Sam"), body="Hacked")
    history = client_for(sam).get(reverse("discussion:history", args=[comment.pk])).content
    assert b"Four were absent." in history and b"Three were absent." in history


def test_the_author_deletes_and_a_stub_keeps_the_replies(ballot: Ballot) -> None:
    sam, ann = member("Sam One"), member("Ann Two")
    top = actions.post_comment(ballot, author=sam, body="Regrettable words")
    actions.post_comment(ballot, author=ann, body="A kind reply", parent=top)
    with pytest.raises(DiscussionError):
        actions.delete_comment(top, by=ann)
    actions.delete_comment(top, by=sam)
    page = client_for(ann).get(thread_url(ballot)).content.decode()
    assert "Deleted by its author." in page and "Regrettable words" not in page
    assert "A kind reply" in page


def test_a_member_cannot_moderate(ballot: Ballot) -> None:
    comment = actions.post_comment(ballot, author=member("Writer"), body="Text")
    sam = member("Sam Plain")
    with pytest.raises(DiscussionError):
        actions.hide_comment(comment, by=sam, reason="I dislike it")
    response = client_for(sam).post(
        reverse("discussion:hide", args=[comment.pk]), {"reason": "I dislike it"}
    )
    assert response.status_code == 403
    comment.refresh_from_db()
    assert comment.hidden_at is None


def test_report_hide_appeal_and_the_public_log(ballot: Ballot) -> None:
    writer, reader, mod = member("Hot Head"), member("Calm Reader"), moderator()
    comment = actions.post_comment(ballot, author=writer, body="You are all traitors")
    with pytest.raises(DiscussionError):
        actions.report_comment(comment, by=reader, reason="  ")
    actions.report_comment(comment, by=reader, reason="Personal attack")
    assert b"Personal attack" in client_for(mod).get(reverse("discussion:reports")).content
    with pytest.raises(DiscussionError):
        actions.hide_comment(comment, by=mod, reason="")
    actions.hide_comment(comment, by=mod, reason="Attacks members, not ideas")
    assert Report.objects.get().resolved_at is not None
    page = client_for(reader).get(thread_url(ballot)).content.decode()
    assert "Hidden by a moderator: Attacks members, not ideas" in page
    assert "traitors" not in page and mod.name not in page
    log = client_for(reader).get(reverse("discussion:moderation_log")).content.decode()
    assert "Attacks members, not ideas" in log
    assert AuditEvent.objects.filter(action="hide_comment", public=True).exists()
    with pytest.raises(DiscussionError):
        actions.appeal_hiding(comment, by=reader, statement="Not mine")
    appeal = actions.appeal_hiding(comment, by=writer, statement="It was a joke")
    with pytest.raises(DiscussionError):
        actions.appeal_hiding(comment, by=writer, statement="Again")
    with pytest.raises(DiscussionError):
        actions.decide_appeal(appeal, by=reader, upheld=False, reason="x")
    actions.decide_appeal(appeal, by=mod, upheld=False, reason="On reflection, heated but fair")
    comment.refresh_from_db()
    assert comment.hidden_at is None


def test_posting_and_reporting_are_rate_limited(ballot: Ballot) -> None:
    sam = member()
    for i in range(actions.POSTS_PER_TEN_MINUTES):
        actions.post_comment(ballot, author=sam, body=f"Post {i}")
    with pytest.raises(DiscussionError, match="wait"):
        actions.post_comment(ballot, author=sam, body="One more")
    reporter = member("Eager Reporter")
    target = Comment.objects.first()
    assert target is not None
    for _ in range(actions.REPORTS_PER_HOUR):
        actions.report_comment(target, by=reporter, reason="spam")
    with pytest.raises(DiscussionError, match="wait"):
        actions.report_comment(target, by=reporter, reason="spam")


def test_a_member_mutes_another_for_themself_only(ballot: Ballot) -> None:
    loud, quiet, other = member("Loud Voice"), member("Quiet One"), member("Other Reader")
    actions.post_comment(ballot, author=loud, body="SHOUTING AGAIN")
    actions.mute(quiet, muted=loud)
    assert "SHOUTING AGAIN" not in client_for(quiet).get(thread_url(ballot)).content.decode()
    assert "SHOUTING AGAIN" in client_for(other).get(thread_url(ballot)).content.decode()


def test_reactions_are_counts_beside_not_votes_and_the_ballot_turnout(ballot: Ballot) -> None:
    writer = member("Writer")
    comment = actions.post_comment(ballot, author=writer, body="Thoughts?")
    for i in range(3):
        actions.toggle_reaction(comment, member=member(f"Reactor {i}"), kind="agree")
    fan = member("Fan")
    assert actions.toggle_reaction(comment, member=fan, kind="concern") is True
    assert actions.toggle_reaction(comment, member=fan, kind="concern") is False
    with pytest.raises(DiscussionError):
        actions.toggle_reaction(comment, member=fan, kind="angry")
    with pytest.raises(DiscussionError):
        actions.toggle_reaction(comment, member=member("Gone", status=Status.LAPSED), kind="agree")
    page = client_for(fan).get(thread_url(ballot)).content.decode()
    assert "Reactions are not votes." in page and "Agree 3" in page
    assert "%" not in page.split('class="discussion"')[1]
    assert "members voted so far" in page and reverse("ballots:detail", args=[ballot.slug]) in page


def test_privacy_a_comment_never_says_whether_its_author_voted(ballot: Ballot) -> None:
    from omov.ballots.models import VoteReceipt

    writer = member("Private Person")
    actions.post_comment(ballot, author=writer, body="My view")
    page = client_for(member("Nosy")).get(thread_url(ballot)).content.decode().lower()
    assert "has voted" not in page and "tracker" not in page
    assert not VoteReceipt.objects.exists()


def test_followers_get_notices_at_once_daily_or_never_with_unsubscribe(ballot: Ballot) -> None:
    first, daily, never, writer = (
        member("First Poster"),
        member("Daily Reader"),
        member("Never Reader"),
        member("New Writer"),
    )
    actions.post_comment(ballot, author=first, body="Opening")
    for person, frequency in ((daily, NoticeFrequency.DAILY), (never, NoticeFrequency.NEVER)):
        actions.follow(person, ballot)
        actions.set_notice_frequency(person, frequency)
    mail.outbox.clear()
    actions.post_comment(ballot, author=writer, body="A new point")
    assert [m.to for m in mail.outbox] == [[first.email]]
    body = str(mail.outbox[0].body)
    assert "A new point" in body and "/discussion/unsubscribe/" in body
    link = absolute_url(reverse("discussion:unsubscribe", args=[notices.unsubscribe_token(first)]))
    assert f"{link}\n" in body
    assert mail.outbox[0].extra_headers == {
        "List-Unsubscribe": f"<{link}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
    assert notices.send_digests() == 1
    assert mail.outbox[-1].to == [daily.email] and "A new point" in str(mail.outbox[-1].body)
    digest_link = absolute_url(
        reverse("discussion:unsubscribe", args=[notices.unsubscribe_token(daily)]))
    assert mail.outbox[-1].extra_headers["List-Unsubscribe"] == f"<{digest_link}>"
    assert mail.outbox[-1].extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert notices.send_digests() == 0
    token = notices.unsubscribe_token(first)
    response = client_for(writer).post(reverse("discussion:unsubscribe", args=[token]))
    assert response.status_code == 200
    mail.outbox.clear()
    actions.post_comment(ballot, author=writer, body="Another point")
    assert mail.outbox == []
    assert (
        client_for(writer).get(reverse("discussion:unsubscribe", args=["forged"])).status_code
        == 400
    )


def test_one_click_unsubscribe_is_a_post_with_no_session_or_csrf_token(ballot: Ballot) -> None:
    """RFC 8058: the mail client POSTs `List-Unsubscribe=One-Click` to the link itself."""
    reader = member("Ria Reader")
    actions.follow(reader, ballot)
    url = reverse("discussion:unsubscribe", args=[notices.unsubscribe_token(reader)])
    mail_client = Client(enforce_csrf_checks=True)
    assert mail_client.get(url).status_code == 200  # a link checker's GET changes nothing
    assert not NoticePreference.objects.filter(member=reader).exists()
    response = mail_client.post(url, "List-Unsubscribe=One-Click",
                                content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert NoticePreference.objects.get(member=reader).frequency == NoticeFrequency.NEVER
    assert AuditEvent.objects.filter(action="set_notice_frequency", actor=reader).exists()
    mail.outbox.clear()
    actions.post_comment(ballot, author=member("Wes Writer"), body="Nobody hears this")
    assert mail.outbox == []
    forged = reverse("discussion:unsubscribe", args=[notices.unsubscribe_token(reader) + "x"])
    assert mail_client.post(forged, "List-Unsubscribe=One-Click",
                            content_type="application/x-www-form-urlencoded").status_code == 400


def test_search_finds_comments_and_subjects(ballot: Ballot) -> None:
    actions.post_comment(ballot, author=member(), body="The quorum was not reached")
    page = client_for(member()).get(reverse("discussion:search"), {"q": "quorum"}).content.decode()
    assert "The quorum was not reached" in page
    page = (
        client_for(member()).get(reverse("discussion:search"), {"q": "withdrawal"}).content.decode()
    )
    assert ballot.title in page


def test_empty_and_overlong_posts_get_a_clear_message(ballot: Ballot) -> None:
    client = client_for(member())
    url = reverse("discussion:post", args=["ballots.ballot", ballot.pk])
    response = client.post(url, {"body": "   "}, follow=True)
    assert "Write something before posting." in response.content.decode()
    response = client.post(url, {"body": "x" * 10001}, follow=True)
    assert "at most 10000 characters" in response.content.decode()
    assert client.get(reverse("discussion:thread", args=["nope.model", 1])).status_code == 404


def test_the_schedule_sends_a_digest_once_a_notice_is_a_day_old(ballot: Ballot) -> None:
    import datetime

    from django.utils import timezone

    from omov.ballots.actions.schedule import run_round

    reader, writer = member("Digest Reader"), member("Busy Writer")
    actions.follow(reader, ballot)
    actions.set_notice_frequency(reader, NoticeFrequency.DAILY)
    actions.post_comment(ballot, author=writer, body="Point for the digest")
    mail.outbox.clear()
    assert not any("digest" in line for line in run_round(timezone.now()))
    assert mail.outbox == []
    later = timezone.now() + datetime.timedelta(days=1, minutes=1)
    assert "sent 1 discussion digest(s)" in run_round(later)
    assert mail.outbox[-1].to == [reader.email]


def test_organisers_appoint_moderators_on_the_audit_log_and_members_cannot() -> None:
    from omov.accounts.roles import Role, roles_of

    boss, sam, ann = organiser("Boss Person"), member("Sam Candidate"), member("Ann Plain")
    url = reverse("discussion:moderators")
    assert (
        client_for(ann).post(url, {"membership_number": sam.membership_number}).status_code == 403
    )
    assert Role.MODERATOR not in roles_of(sam)
    client_for(boss).post(url, {"membership_number": sam.membership_number})
    assert Role.MODERATOR in roles_of(sam)
    assert AuditEvent.objects.filter(
        action="grant_role", public=True, details__role="moderator"
    ).exists()
    response = client_for(boss).post(url, {"membership_number": "nobody"})
    assert "No member has the membership number" in response.content.decode()
    client_for(boss).post(url, {"membership_number": sam.membership_number, "remove": "1"})
    assert Role.MODERATOR not in roles_of(sam)


def test_a_subject_without_a_ballot_links_to_starting_a_petition(settings: object) -> None:
    from django.template import engines
    from django.test import RequestFactory

    from omov.discussion import subjects
    from omov.organisation.models import LocalGroup

    subjects.register(
        LocalGroup,
        title=lambda g: g.name,
        url=lambda g: "/groups/",
        visible_to=lambda g, m: True,
        start_petition_url=lambda g: f"/petitions/new/?about={g.pk}",
    )
    try:
        camden = member("Group Talker").local_group
        assert camden is not None
        actions.post_comment(camden, author=member("Other Talker"), body="Local matters")
        request = RequestFactory().get("/")
        request.member = None  # type: ignore[attr-defined]
        template = engines["django"].from_string(
            "{% load discussion %}{% discussion_thread subject %}"
        )
        html = template.render({"subject": camden}, request)
        assert "Local matters" in html and "Reactions are not votes." in html
        assert f'href="/petitions/new/?about={camden.pk}">Start a petition for one' in html
    finally:
        subjects._kinds.pop("organisation.localgroup")


def test_a_reply_to_a_missing_or_garbled_parent_is_refused_clearly(ballot: Ballot) -> None:
    client = client_for(member())
    url = reverse("discussion:post", args=["ballots.ballot", ballot.pk])
    for parent in ("abc", "99999"):
        response = client.post(url, {"body": "Hi", "parent": parent}, follow=True)
        assert response.status_code == 200
        assert "not there any more" in response.content.decode()
    page = client.get(thread_url(ballot), {"order": "bogus", "page": "zz"})
    assert page.status_code == 200
    assert not Comment.objects.exists()
