"""Discussion beside any subject: threads, comments, moderation, reactions.

Any app hangs a thread off its own objects through the registry in
`omov.discussion.subjects`, from its AppConfig.ready (the higher app imports
discussion; discussion never imports it)::

    from omov.discussion import subjects
    subjects.register(
        Petition,
        title=lambda p: p.title,
        url=lambda p: reverse("petitions:detail", args=[p.slug]),
        visible_to=lambda p, member: p.is_published,
        related_ballot=lambda p: p.forced_ballot,         # or None
        start_petition_url=lambda p: reverse("petitions:create"),  # optional
    )

`start_petition_url` gives the "start a petition for a ballot" link shown
when `related_ballot` returns None; without it the setting
OMOV_START_PETITION_URL is used, and without that the thread says in words
that members can ask for a ballot with a petition.

A thread is keyed by content type and object id, made when the first comment
is posted. A detail page shows it with
``{% load discussion %}{% discussion_thread obj %}``. Ballots cannot load a
higher app's tag, so the ballots app offers a hook (`omov.ballots.hooks`)
that this app fills in. `omov.discussion.actions.follow(member, subject)`
lets another app make a member follow a subject (e.g. when they sign).
"""
