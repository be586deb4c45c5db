"""Moderating a chat room, live: a moderator hides a message from the room's own page and a member's
open page loses it; slow mode reaches an open composer, and a message sent too soon keeps its text."""

import pytest
from playwright.sync_api import expect

from forums.models import ChatMessage
from forums.services.chat import create_general_room, post_message
from moderation.services.chat import set_slow_mode
from network.models import Membership
from tests.browser.test_chat import open_room
from tests.factories import MembershipFactory, NetworkFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_a_message_a_moderator_hides_leaves_a_members_open_page(asgi_server, browser):
    room = create_general_room(network=NetworkFactory(name="Customs Work Organization Forum"))
    writer = MembershipFactory(network=room.network, user=UserFactory(display_name="Wendy Writer")).user
    member = MembershipFactory(network=room.network, user=UserFactory(display_name="Amina Diallo")).user
    moderator = MembershipFactory(
        network=room.network, role=Membership.Role.MODERATOR, user=UserFactory(display_name="Maya Moderator")
    ).user
    message = post_message(author=writer, room=room, body="Buy **cheap** watches at my shop.")
    member_page = open_room(browser, asgi_server, member, room)
    moderator_page = open_room(browser, asgi_server, moderator, room)
    # Both follow the room once each sees the other there.
    expect(member_page.locator("[data-chat-presence]")).to_contain_text("Maya Moderator")
    expect(moderator_page.locator("[data-chat-presence]")).to_contain_text("Amina Diallo")
    member_log = member_page.get_by_role("log")
    expect(member_log).to_contain_text("Buy cheap watches at my shop.")

    shown = moderator_page.locator(f"#message-{message.pk}")
    shown.get_by_role("link", name="Hide (Wendy Writer)").click()
    reason = shown.get_by_role("textbox", name="Reason")
    expect(reason).to_be_focused()
    reason.fill("Advertising")
    reason.press("Tab")
    moderator_page.keyboard.press("Enter")

    expect(member_log).not_to_contain_text("cheap watches")
    expect(member_page.locator(f"#message-{message.pk}")).to_contain_text("Message hidden by the moderators")
    expect(shown.locator(".chat-message__hidden-badge")).to_be_visible()
    expect(shown).to_contain_text("Buy cheap watches at my shop.")
    expect(shown).to_contain_text("only its author and they can read it")
    expect(shown.get_by_role("link", name="Restore (Wendy Writer)")).to_be_visible()
    message.refresh_from_db()
    assert (message.is_hidden, message.hidden_reason) == (True, "Advertising")


def test_slow_mode_reaches_an_open_composer_and_a_message_sent_too_soon_keeps_its_text(asgi_server, browser):
    room = create_general_room(network=NetworkFactory())
    member = MembershipFactory(network=room.network).user
    moderator = MembershipFactory(network=room.network, role=Membership.Role.MODERATOR).user
    page = open_room(browser, asgi_server, member, room)
    expect(page.locator("[data-chat-presence]")).to_contain_text(str(member))
    slow_mode = page.locator("[data-chat-slow-mode]")
    expect(slow_mode).to_be_hidden()

    set_slow_mode(actor=moderator, room=room, seconds=600)

    expect(slow_mode).to_have_text("Slow mode: one message every 600 seconds.")
    box = page.get_by_role("textbox", name="Message")
    box.fill("First of the day.")
    box.press("Enter")
    expect(page.get_by_role("log")).to_contain_text("First of the day.")
    box.fill("Second, too soon.")
    box.press("Enter")

    expect(page.locator("[data-chat-error]")).to_contain_text("Slow mode: you can send your next message in")
    expect(box).to_have_value("Second, too soon.")
    assert list(ChatMessage.objects.values_list("body", flat=True)) == ["First of the day."]
