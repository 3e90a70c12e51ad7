"""Inline notices: errors land, escaped and in Vietnamese, in the callback's status output."""

import gradio as gr

from hoidap.errors import InputError
from ui.errors import UNEXPECTED, Tone, inline_errors, notice


def test_an_error_goes_to_the_status_output_and_leaves_the_others():
    @inline_errors(outputs=3, at=1)
    def callback(text: str):
        raise InputError(f"Tệp <{text}> không đọc được.")

    first, status, last = callback("x.pdf")
    assert first == last == gr.skip()
    assert status == notice("Tệp <x.pdf> không đọc được.", Tone.ERROR)
    assert 'role="alert"' in status and "&lt;x.pdf&gt;" in status


def test_a_generator_yields_the_notice_after_what_it_streamed():
    @inline_errors(outputs=2, at=0)
    def stream():
        yield "đang tìm", 1
        raise RuntimeError("boom")

    shown = list(stream())
    assert shown[0] == ("đang tìm", 1)
    assert UNEXPECTED in shown[1][0] and "boom" not in shown[1][0]


def test_one_output_gets_the_notice_itself_and_success_is_a_status():
    @inline_errors(outputs=1, at=0)
    def callback():
        raise InputError("Hãy chọn một văn bản trước.")

    assert callback() == notice("Hãy chọn một văn bản trước.", Tone.ERROR)
    assert 'role="status"' in notice("Đã lưu.", Tone.OK)
