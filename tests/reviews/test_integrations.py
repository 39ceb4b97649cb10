"""Where reviews meet the applications and the catalogue (DOMAIN R1, R2): the invitation
when a case ends, 去评价 in 我的办件, the panels, and a citizen rating on the web."""

from __future__ import annotations

from django.urls import reverse

from apps.applications import hooks as application_hooks
from apps.applications import services as application_services
from apps.applications.workflow import State
from apps.catalogue import hooks as catalogue_hooks
from apps.notifications.models import Notification
from apps.reviews.models import Review, ServiceEvent
from tests.applications.factories import accepted_application, guide_for
from tests.reviews.factories import decided_application, review


def test_hooks_are_registered():
    registered = application_hooks.registered()
    assert "apps.reviews.integrations.invite_on_case_closed" in registered["case_closed_listeners"]
    assert "apps.reviews.integrations.list_actions" in registered["applicant_list_actions"]
    assert "apps.reviews.integrations.applicant_panel" in registered["applicant_panels"]
    names = [f.__qualname__ for f in catalogue_hooks.item_page_panels]
    assert "item_panel" in names


def test_a_decided_application_invites_its_applicant(department, citizen, approver):
    """R1 一事一评: the decision makes one event targeting item, department and handler;
    the applicant is invited by inbox and SMS with a link built for the event."""
    application = decided_application(citizen, department, approver)
    event = ServiceEvent.objects.get(application=application)
    assert (event.kind, event.subject, event.department, event.item) == (
        "application",
        citizen,
        department,
        application.item,
    )
    invitations = Notification.objects.filter(recipient=citizen, title="请对本次服务作出评价")
    assert {n.channel for n in invitations} == {"inbox", "sms"}
    assert {n.link for n in invitations} == {reverse("reviews:rate", args=[event.pk])}


def test_a_withdrawal_invites_no_rating(department, citizen):
    application = accepted_application(guide=guide_for(department), applicant=citizen)
    application_services.application_withdraw(
        application_id=application.pk, actor=citizen, reason="不办了"
    )
    assert not ServiceEvent.objects.filter(application=application).exists()


def test_my_applications_show_go_rate_until_rated(client, department, citizen, approver):
    application = decided_application(citizen, department, approver)
    event = ServiceEvent.objects.get(application=application)
    client.force_login(citizen)
    page = client.get(reverse("applications:list")).content.decode()
    assert "去评价" in page and reverse("reviews:rate", args=[event.pk]) in page
    client.post(reverse("reviews:rate", args=[event.pk]), {"level": "very_satisfied"})
    page = client.get(reverse("applications:list")).content.decode()
    assert reverse("reviews:rate", args=[event.pk]) not in page


def test_my_applications_query_count_does_not_grow(
    client, department, citizen, approver, django_assert_max_num_queries
):
    client.force_login(citizen)
    decided_application(citizen, department, approver)
    with django_assert_max_num_queries(50) as few:
        client.get(reverse("applications:list"))
    for _n in range(4):
        decided_application(citizen, department, approver)
    with django_assert_max_num_queries(len(few)):
        client.get(reverse("applications:list"))


def test_the_detail_page_shows_the_rating_panel(client, department, citizen, approver):
    application = decided_application(citizen, department, approver)
    client.force_login(citizen)
    page = client.get(reverse("applications:detail", args=[application.pk])).content.decode()
    assert "服务评价" in page and "去评价" in page


def test_a_citizen_rates_their_decided_application_on_the_web(
    client, department, citizen, approver
):
    """R1: the invitation link opens the rating form; a bad review needs reasons."""
    application = decided_application(citizen, department, approver)
    event = ServiceEvent.objects.get(application=application)
    url = reverse("reviews:rate", args=[event.pk])
    client.force_login(citizen)
    assert client.get(url).status_code == 200
    refused = client.post(url, {"level": "dissatisfied", "text": "太慢"})
    assert refused.status_code == 400 and "差评请选择差评原因" in refused.content.decode()
    assert not Review.objects.exists()
    done = client.post(
        url, {"level": "dissatisfied", "tags": ["slow"], "text": "承诺时限内没有办完。"}
    )
    assert done.status_code == 302
    given = Review.objects.get()
    assert (given.channel, given.reviewer, given.level) == ("web", citizen, "dissatisfied")
    assert given.case is not None
    again = client.get(url)
    assert again.status_code == 302 and again.url == reverse("reviews:mine")


def test_someone_elses_rating_page_is_404(client, department, citizen, other_citizen, approver):
    application = decided_application(citizen, department, approver)
    event = ServiceEvent.objects.get(application=application)
    client.force_login(other_citizen)
    url = reverse("reviews:rate", args=[event.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"level": "very_dissatisfied"}).status_code == 404
    assert not Review.objects.exists()


def test_company_agent_rates_the_companys_application(
    client, department, company_agent, company, approver
):
    application = accepted_application(
        guide=guide_for(department),
        applicant=company_agent,
        company=company,
        state=State.UNDER_REVIEW,
    )
    application_services.application_approve(application_id=application.pk, actor=approver)
    event = ServiceEvent.objects.get(application=application)
    client.force_login(company_agent)
    assert client.get(reverse("reviews:rate", args=[event.pk])).status_code == 200


def test_item_page_shows_its_rating(client, department, citizen):
    guide = guide_for(department)
    for level in ("very_satisfied", "very_satisfied", "very_satisfied", "dissatisfied"):
        review(department, citizen, level, item=guide.item)
    page = client.get(reverse("catalogue:item", args=[guide.item.code])).content.decode()
    assert "满意率 75.0%" in page


def test_my_reviews_page(client, department, citizen):
    review(department, citizen, "dissatisfied")
    client.force_login(citizen)
    page = client.get(reverse("reviews:mine")).content.decode()
    assert "不满意" in page and "待回访核实" in page
