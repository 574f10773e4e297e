"""KB snippets are plain text: the markdown of an article (tables, emphasis, lists,
links, headings) never reaches the hit list as marks, and the hit offsets still point
at the words the agent searched for."""

from __future__ import annotations

from agent_console.server.demo import read_demo
from agent_console.server.snippets import plain_text, snippet

TABLE = """
## 按声音判断
| 声音 | 常见原因 | 怎么办 |
|---|:---:|---|
| 咕噜咕噜的流水声 | 管内有**空气** | 指导排气 |
| 持续的嗡嗡声 | 阀门开度小 | 登记上门检查 |

---
- 先表示*理解*。
- See [the guide](https://example.org/x) and `reset_modem`, not snake_case_name.
> quoted line<br>
"""


def test_markdown_becomes_one_line_of_plain_text() -> None:
    text = plain_text(TABLE)
    assert text == (
        "按声音判断 声音 · 常见原因 · 怎么办 / 咕噜咕噜的流水声 · 管内有空气 · 指导排气"
        " / 持续的嗡嗡声 · 阀门开度小 · 登记上门检查 · 先表示理解。"
        " · See the guide and reset_modem, not snake_case_name. quoted line"
    )


def test_the_highlight_points_at_the_searched_word_in_the_plain_text() -> None:
    text, spans = snippet(TABLE, "空气 guide", width=200)
    assert [text[s:e] for s, e in spans] == ["空气", "guide"]
    assert "**" not in text and "---" not in text


def test_no_demo_article_shows_markdown_marks_in_its_snippet() -> None:
    articles = read_demo("kb.toml")["article"]
    marks = ("**", "--", "|", "#", "](", "`", "__")
    left = {
        a["slug"]: [m for m in marks if m in plain_text(a["body"])]
        for a in articles
        if any(m in plain_text(a["body"]) for m in marks)
    }
    assert left == {}
