"""Two members in one chat room, each in their own browser, see each other live."""

import pytest
from playwright.sync_api import Browser, Page, expect

from forums.models import ChatMessage, ChatRoom
from forums.services.chat import create_general_room
from profiles.models import User
from tests.factories import MembershipFactory, NetworkFactory, UserFactory
from tests.realtime.conftest import session_cookie_for

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def open_room(browser: Browser, base_url: str, user: User, room: ChatRoom) -> Page:
    """`user`'s own browser (cookies of their own session) on the room's page."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.add_cookies([{"name": "sessionid", "value": session_cookie_for(user), "url": base_url}])
    page = context.new_page()
    page.goto(f"{base_url}{room.get_absolute_url()}")
    return page


def test_two_members_see_each_others_messages_as_they_are_sent(asgi_server, browser):
    room = create_general_room(network=NetworkFactory(name="Customs Work Organization Forum"))
    amina = MembershipFactory(network=room.network, user=UserFactory(display_name="Amina Diallo")).user
    carlos = MembershipFactory(network=room.network, user=UserFactory(display_name="Carlos Rojas")).user
    amina_page = open_room(browser, asgi_server, amina, room)
    carlos_page = open_room(browser, asgi_server, carlos, room)
    # Both have joined the room's stream once each sees the other there.
    expect(amina_page.locator("[data-chat-presence]")).to_contain_text("Carlos Rojas")
    expect(carlos_page.locator("[data-chat-presence]")).to_contain_text("Amina Diallo")

    amina_box = amina_page.get_by_role("textbox", name="Message")
    amina_box.fill("Our **hybrid** roster starts in May.")
    amina_box.press("Enter")

    carlos_log = carlos_page.get_by_role("log")
    expect(carlos_log).to_contain_text("Our hybrid roster starts in May.")
    expect(carlos_log.locator("strong")).to_have_text("hybrid")
    expect(amina_box).to_have_value("")

    carlos_box = carlos_page.get_by_role("textbox", name="Message")
    carlos_box.type("Lima")
    expect(amina_page.locator("[data-chat-typing]")).to_contain_text("Carlos Rojas is typing")
    carlos_box.fill("Ours too, from Lima.")
    carlos_box.press("Enter")

    expect(amina_page.get_by_role("log")).to_contain_text("Ours too, from Lima.")
    texts = [message.body for message in ChatMessage.objects.order_by("seq")]
    assert texts == ["Our **hybrid** roster starts in May.", "Ours too, from Lima."]


def test_a_refused_message_shows_why_and_keeps_the_text(asgi_server, browser):
    room = create_general_room(network=NetworkFactory())
    member = MembershipFactory(network=room.network).user
    page = open_room(browser, asgi_server, member, room)
    expect(page.locator("[data-chat-presence]")).to_contain_text(str(member))

    box = page.get_by_role("textbox", name="Message")
    box.fill("   ")
    box.press("Enter")

    expect(page.locator("[data-chat-error]")).to_have_text("Write something before sending.")
    expect(box).to_have_value("   ")
    assert not ChatMessage.objects.exists()
