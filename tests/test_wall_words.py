"""What the wall screen's sign-in says (screens/supervisor/wall.py), without a terminal:
in the board's language, not the backend's or the client's English."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from agent_console import i18n
from agent_console.client import BackendError, BackendUnavailable
from agent_console.screens.supervisor.wall import sign_in_refusal, wall_only


@pytest.fixture
def chinese() -> Iterator[None]:
    i18n.set_language("zh")
    yield
    i18n.set_language("en")


def test_a_failed_sign_in_says_why_in_chinese(chinese: None) -> None:
    down = BackendUnavailable("cannot reach the backend at http://127.0.0.1:1")
    assert sign_in_refusal(down) == "✗ 连不上后台：请检查网络，再按回车。"
    wrong = BackendError(401, "bad_credentials", "agent number or password is wrong")
    assert sign_in_refusal(wrong) == "✗ 工号或密码不对。"
    throttled = BackendError(429, "throttled", "too many attempts")
    assert sign_in_refusal(throttled) == "✗ 尝试次数太多：请等一分钟再试。"


def test_the_refused_role_is_named_in_words(chinese: None) -> None:
    assert wall_only("supervisor") == "✗ 监控看板只能用大屏账号登录（当前账号：班长账号）。"
    assert "（当前账号：odd）" in wall_only("odd")  # a role this console does not know


def test_in_english_too() -> None:
    assert sign_in_refusal(BackendError(401, "x", "y")) == "✗ Wrong agent number or password."
    assert wall_only("agent").endswith("(this one: an agent's account).")
