"""Gradio's own words in Vietnamese, and the script that makes the page use them.

Gradio 6 ships no Vietnamese and picks its locale from the browser among the languages it
ships, so a Vietnamese browser gets English. ``make_i18n`` adds a ``vi`` dictionary for the
built-in keys the app can show; ``HEAD`` switches the page to it once Gradio has started and
names the few elements Gradio labels in English without a key (the chat log's ``aria-label``).
"""

from __future__ import annotations

import json

import gradio as gr

LOCALE = "vi"

# Keys of Gradio's built-in English dictionary (js/core/src/lang/en.json) the app can show.
GRADIO_VI: dict[str, dict[str, str]] = {
    "blocks": {
        "connection_can_break": (
            "Trên điện thoại, kết nối có thể mất khi thẻ này bị ẩn hoặc máy ngủ; "
            "khi đó lượt chờ của bạn bị hủy."
        ),
        "long_requests_queue": "Đang có nhiều yêu cầu chờ xử lý, xin đợi trong giây lát.",
        "lost_connection": "Mất kết nối do rời trang. Đang kết nối lại…",
        "waiting_for_inputs": "Đang chờ tải tệp lên xong, hãy thử lại sau.",
    },
    "chatbot": {
        "edit": "Sửa",
        "retry": "Hỏi lại",
        "undo": "Hoàn tác",
        "submit": "Gửi",
        "cancel": "Hủy",
        "like": "Câu trả lời tốt",
        "dislike": "Câu trả lời chưa tốt",
        "clear": "Xóa hội thoại",
        "complete": "Xong",
        "copy_message": "Sao chép tin nhắn",
        "copied_message": "Đã sao chép tin nhắn",
    },
    "checkbox": {"checkbox": "Ô đánh dấu", "checkbox_group": "Nhóm ô đánh dấu"},
    "common": {
        "built_with": "xây dựng bằng",
        "built_with_gradio": "Xây dựng bằng Gradio",
        "clear": "Xóa",
        "download": "Tải về",
        "download_all": "Tải về tất cả",
        "edit": "Sửa",
        "empty": "Trống",
        "error": "Lỗi",
        "hosted_on": "Đặt tại",
        "loading": "Đang tải",
        "logo": "biểu trưng",
        "or": "hoặc",
        "remove": "Gỡ bỏ",
        "settings": "Cài đặt",
        "share": "Chia sẻ",
        "submit": "Gửi",
        "undo": "Hoàn tác",
        "no_devices": "Không tìm thấy thiết bị",
        "language": "Ngôn ngữ",
        "display_theme": "Giao diện",
        "progress": "Tiến độ",
        "run": "Chạy",
    },
    "dataframe": {
        "incorrect_format": "Sai định dạng, chỉ nhận tệp CSV và TSV",
        "new_column": "Thêm cột",
        "new_row": "Thêm dòng",
        "add_row_above": "Thêm dòng phía trên",
        "add_row_below": "Thêm dòng phía dưới",
        "delete_row": "Xóa dòng",
        "delete_column": "Xóa cột",
        "add_column_left": "Thêm cột bên trái",
        "add_column_right": "Thêm cột bên phải",
        "sort_column": "Sắp xếp cột",
        "sort_ascending": "Sắp xếp tăng dần",
        "sort_descending": "Sắp xếp giảm dần",
        "drop_to_upload": "Thả tệp CSV hoặc TSV vào đây để nhập dữ liệu",
        "clear_sort": "Bỏ sắp xếp",
        "filter": "Lọc",
        "clear_filter": "Bỏ lọc",
    },
    "dropdown": {"dropdown": "Danh sách chọn"},
    "file": {"uploading": "Đang tải lên…"},
    "image": {"image": "Hình ảnh", "remove_image": "Gỡ hình ảnh"},
    "label": {"label": "Nhãn"},
    "number": {"number": "Số"},
    "plot": {"plot": "Biểu đồ"},
    "radio": {"radio": "Lựa chọn"},
    "slider": {"slider": "Thanh trượt"},
    "status": {"queue_position": "Đang chờ: thứ {position} trên {size}"},
    "upload_text": {
        "click_to_upload": "Bấm để chọn tệp",
        "drop_file": "Thả tệp vào đây",
        "drop_csv": "Thả tệp CSV vào đây",
        "drop_image": "Thả hình ảnh vào đây",
        "paste_clipboard": "Dán từ bộ nhớ tạm",
    },
}


def make_i18n() -> gr.I18n:
    """Vietnamese for Gradio's built-in words (English stays the fallback for the rest)."""
    return gr.I18n(**{LOCALE: GRADIO_VI})


# Accessible names and tooltips Gradio writes in English without a translation key.
ATTRIBUTE_NAMES: dict[str, str] = {
    "chatbot conversation": "Hội thoại hỏi đáp",
    "Copy table data": "Sao chép bảng",
    "Table actions": "Thao tác với bảng",
    "Click to upload or drop files": "Bấm để chọn tệp hoặc thả tệp vào đây",
    "Upload a file": "Tải tệp lên",
    "Uploaded files": "Tệp đã tải lên",
    "Remove this file": "Gỡ tệp này",
    "Empty value": "Chưa có nội dung",
    "View full screen": "Xem toàn màn hình",
    "Fullscreen": "Toàn màn hình",
    "Exit fullscreen mode": "Thoát toàn màn hình",
    "Download": "Tải về",
    "Copy": "Sao chép",
    "Copied": "Đã sao chép",
    "Close": "Đóng",
    "Reset to default value": "Đặt lại giá trị mặc định",
    "More tabs": "Các thẻ khác",
    "Open cell menu": "Mở trình đơn của cột",
    "Close full screen": "Thoát toàn màn hình",
    "Open in new tab": "Mở trong thẻ mới",
    "Remove file": "Gỡ tệp",
    "Clear": "Xóa",
    "Dismiss": "Đóng",
    "Filtered": "Đã lọc",
    "Loading response": "Đang trả lời",
}

# Gradio's locale store is exported by its core module as ``changeLocale``; the page already
# loaded that module, so importing the same URL gives the same store. English names without
# a key are renamed as they appear; Gradio's empty placeholder gets the role its name needs.
_SCRIPT = """
<script type="module">
const LOCALE = __LOCALE__;
const NAMES = __NAMES__;
const ATTRIBUTES = ["aria-label", "title"];
const core = performance.getEntriesByType("resource")
  .map((entry) => entry.name).find((name) => /\\/core-[\\w-]+\\.js$/.test(name));
if (core) { import(core).then((module) => module.changeLocale(LOCALE)); }
const rename = () => {
  for (const attribute of ATTRIBUTES) {
    for (const element of document.querySelectorAll(`[${attribute}]`)) {
      const name = NAMES[element.getAttribute(attribute)];
      if (name) { element.setAttribute(attribute, name); }
    }
  }
  for (const element of document.querySelectorAll("div.empty[aria-label]:not([role])")) {
    element.setAttribute("role", "img");
  }
  if (document.documentElement.lang !== LOCALE) { document.documentElement.lang = LOCALE; }
};
new MutationObserver(rename).observe(document.documentElement, {
  subtree: true, childList: true, attributes: true, attributeFilter: [...ATTRIBUTES, "lang"],
});
rename();
</script>
"""
HEAD = _SCRIPT.replace("__LOCALE__", json.dumps(LOCALE)).replace(
    "__NAMES__", json.dumps(ATTRIBUTE_NAMES, ensure_ascii=False)
)
