"""The call strip fitted to its width: the key to press always whole."""

from __future__ import annotations

from rich.cells import cell_len

from agent_console.strip_fit import StripParts, fit, width_of

PARTS = StripParts(
    phase="◉ ON CALL", arrow="⇣", way="in", name="王芳", number="138****1234",
    elapsed="00:12", after="Not ready: break", after_prefix="then: ", hint="Ctrl+F2: card",
)  # fmt: skip


def test_everything_shown_when_it_fits() -> None:
    texts = fit(PARTS, 120)
    assert texts == (
        "◉ ON CALL", "⇣ in · 王芳 · 138****1234", "00:12", "→ then: Not ready: break",
        "Ctrl+F2: card",
    )  # fmt: skip


def test_at_80_columns_the_key_stays_whole_and_then_gives_way() -> None:
    texts = fit(PARTS, 80)
    assert width_of(texts) <= 80
    assert texts[4] == "Ctrl+F2: card"
    assert texts[3] == "→ Not ready: break"
    assert "138****1234" in texts[1]


def test_every_width_fits_and_only_the_name_is_cut_with_a_sign() -> None:
    long = StripParts(**{**PARTS.__dict__, "name": "Maximilian Alexander Fitzgerald-Wong"})
    for width in range(48, 130):
        texts = fit(long, width)
        assert width_of(texts) <= width, (width, texts)
        assert texts[0] == "◉ ON CALL" and texts[2] == "00:12" and texts[4] == "Ctrl+F2: card"
        who = texts[1]
        if "Maximilian Alexander Fitzgerald-Wong" not in who:
            assert who.endswith("…"), (width, who)
            assert cell_len(who) >= 3
        if "Not ready: break" not in texts[3]:
            assert texts[3].endswith("…"), (width, texts)
