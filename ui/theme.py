"""Look and behaviour of the page: theme (system fonts with Vietnamese letters, nothing
fetched; colours with at least 4.5:1 contrast), CSS for desktop and phone, and the scripts of
the page head (``[n]`` markers scroll to their source card; Gradio's words in Vietnamese)."""

import gradio as gr

from ui.i18n import HEAD as I18N_HEAD

SYSTEM_FONTS = (
    "system-ui",
    "-apple-system",
    "Segoe UI",
    "Roboto",
    "Noto Sans",
    "Liberation Sans",
    "Arial",
    "sans-serif",
)
# DejaVu Sans Mono first: it has every precomposed Vietnamese letter, Liberation Mono does not.
MONO_FONTS = ("DejaVu Sans Mono", "ui-monospace", "SFMono-Regular", "Consolas", "monospace")


def make_theme() -> gr.themes.Base:
    """A calm blue theme using fonts already on the machine (offline offices have no CDN).

    Soft's greys (slate 400) and its blue 500 buttons read at 2.4–3.7:1 on white; text here
    uses slate 600 and buttons blue 700 (≥ 4.5:1, WCAG AA).
    """
    return gr.themes.Soft(
        primary_hue=gr.themes.colors.blue,
        secondary_hue=gr.themes.colors.sky,
        neutral_hue=gr.themes.colors.slate,
        font=SYSTEM_FONTS,
        font_mono=MONO_FONTS,
    ).set(
        body_text_size="16px",
        body_text_color_subdued="*neutral_600",
        body_text_color_subdued_dark="*neutral_300",
        block_info_text_color="*neutral_600",
        block_info_text_color_dark="*neutral_300",
        input_placeholder_color="*neutral_600",
        input_placeholder_color_dark="*neutral_300",
        button_primary_background_fill="*primary_700",
        button_primary_background_fill_hover="*primary_800",
        button_primary_text_color="white",
        button_cancel_background_fill="#b91c1c",
        button_cancel_background_fill_hover="#991b1b",
        button_cancel_text_color="white",
        block_label_text_color="*primary_800",
        block_title_text_color="*primary_800",
        checkbox_label_background_fill_selected="*primary_700",
        checkbox_label_text_color_selected="white",
        link_text_color="*primary_700",
        link_text_color_hover="*primary_800",
        link_text_color_visited="*primary_800",
        link_text_color_active="*primary_800",
        color_accent="*primary_700",
        color_accent_soft="*primary_100",
    )


CSS = """
.gradio-container { margin: 0 auto; }
#hd-header h1 { margin-bottom: 0.1em; }
#hd-header p { margin-top: 0; color: var(--body-text-color-subdued); }
#hd-chat { height: clamp(240px, calc(100vh - 430px), 640px) !important; }
/* Gradio's own clear icon would empty the view but not the saved conversation; the tab's
   "Hội thoại mới" and "Xóa hội thoại này" buttons do that. */
#hd-chat button[aria-label="Clear"], #hd-chat button[aria-label="Xóa hội thoại"] {
  display: none; }
.hd-notice { padding: 6px 10px; border-radius: 6px; border-left: 4px solid; margin: 2px 0; }
.hd-notice-error { background: #fef2f2; color: #991b1b; border-color: #b91c1c; }
.hd-notice-warning { background: #fffbeb; color: #78350f; border-color: #b45309; }
.hd-notice-ok { background: #f0fdf4; color: #14532d; border-color: #15803d; }
#hd-status { min-height: 1.6em; font-size: 0.92em; color: var(--body-text-color-subdued); }
.hd-examples { flex-wrap: wrap !important; gap: 6px !important; }
.hd-examples button { flex: 0 1 auto !important; min-width: 0 !important; width: auto !important;
  white-space: normal; text-align: left; font-weight: 400; }
.hd-actions { gap: 8px !important; flex-wrap: wrap !important; }
#hd-sources-title h2 { font-size: 1.1em; margin: 0; }
.hd-actions button { flex: 0 1 auto !important; min-width: 0 !important; width: auto !important; }
.hd-sources { display: flex; flex-direction: column; gap: 10px; max-height: 78vh;
  overflow-y: auto; padding-right: 4px; }
.hd-empty { color: var(--body-text-color-subdued); padding: 12px; border-radius: 8px;
  border: 1px dashed var(--border-color-primary); }
.hd-sources-head { font-weight: 600; color: var(--body-text-color-subdued); font-size: 0.9em; }
.hd-cite { border: 1px solid var(--border-color-primary); border-left: 4px solid
  var(--color-accent); border-radius: 8px; padding: 10px 12px;
  background: var(--background-fill-secondary); scroll-margin-top: 8px; }
.hd-cite header { font-weight: 600; line-height: 1.35; }
.hd-n { color: var(--color-accent); margin-right: 2px; }
.hd-label { font-size: 0.92em; color: var(--body-text-color-subdued); margin: 4px 0 6px; }
.hd-path { font-family: var(--font-mono); font-size: 0.85em; white-space: nowrap;
  border: 1px solid var(--border-color-primary); border-radius: 4px; padding: 0 4px;
  background: var(--background-fill-primary); }
.hd-text { white-space: pre-wrap; line-height: 1.55; overflow-wrap: anywhere; }
.hd-cite footer { font-size: 0.8em; color: var(--body-text-color-subdued); margin-top: 6px; }
.hd-sources mark, .hd-clause mark { background: #fde68a; color: #1f2937; padding: 0 1px;
  border-radius: 2px; }
.hd-flash { animation: hd-flash 1.6s ease-out; }
@keyframes hd-flash { from { box-shadow: 0 0 0 3px var(--color-accent); }
  to { box-shadow: 0 0 0 0 transparent; } }
a.hd-ref, a[href^="#hd-cite-"] { font-weight: 600; text-decoration: none !important;
  color: var(--primary-800) !important; cursor: pointer; }
.hd-outline { list-style: none; padding: 0 !important; margin: 0; max-height: 60vh;
  overflow-y: auto; border: 1px solid var(--border-color-primary); border-radius: 8px; }
.hd-outline li { margin: 0 !important; line-height: 1.4; list-style: none;
  border-bottom: 1px solid var(--border-color-primary); }
.hd-outline button { all: unset; box-sizing: border-box; display: block; width: 100%;
  padding: 4px 8px; cursor: pointer; }
.hd-outline button:hover { background: var(--background-fill-secondary); }
.hd-outline button:focus-visible { outline: 2px solid var(--color-accent); outline-offset: -2px; }
.hd-outline .hd-kind-part button { font-weight: 600; }
.hd-outline .hd-depth-1 button { padding-left: 1.5em; }
.hd-outline .hd-depth-2 button { padding-left: 2.7em; }
.hd-outline .hd-depth-3 button { padding-left: 3.9em; }
.hd-outline .hd-depth-4 button { padding-left: 5.1em; }
.hd-doc-card h2 { margin: 4px 0 8px; font-size: 1.05em; }
/* Gradio draws tables in the monospace font; Vietnamese reads better (and is drawn with
   precomposed letters) in the text font. */
.gradio-container .table-wrap, .gradio-container table { --font-mono: var(--font);
  font-family: var(--font); }
.hd-doc-card table, .hd-clause table { border-collapse: collapse; width: 100%;
  font-size: 0.92em; margin: 0 0 8px; border: none !important; }
.hd-doc-card tr, .hd-clause tr { border: none !important;
  border-bottom: 1px solid var(--border-color-primary) !important; }
.hd-doc-card th, .hd-clause th { text-align: left; font-weight: 600;
  padding: 4px 8px 4px 0 !important; width: 34%; vertical-align: top;
  color: var(--body-text-color-subdued); border: none !important;
  background: none !important; }
.hd-doc-card td, .hd-clause td { padding: 4px 0 !important; vertical-align: top;
  border: none !important; background: none !important; }
.hd-clause { border: 1px solid var(--border-color-primary); border-radius: 8px;
  padding: 10px 12px; }
.hd-clause .hd-label { font-weight: 600; color: var(--body-text-color); }
.hd-clause .hd-doc { font-size: 0.88em; color: var(--body-text-color-subdued);
  margin-bottom: 6px; }
/* Gradio 6 heads every toast with its English type name and ignores ``title``. */
.toast-title.error, .toast-title.warning, .toast-title.info, .toast-title.success {
  font-size: 0 !important; }
.toast-title::before { font-size: var(--text-lg); }
.toast-title.error::before { content: "Lỗi"; }
.toast-title.warning::before { content: "Lưu ý"; }
.toast-title.info::before { content: "Thông báo"; }
.toast-title.success::before { content: "Thành công"; }
.hd-doc-list { max-height: 360px; overflow-y: auto; border: 1px solid var(--border-color-primary);
  border-radius: 8px; }
.hd-doc-list table { width: 100%; border-collapse: collapse; font-size: 0.92em; margin: 0;
  border: none !important; }
.hd-doc-list caption { text-align: left; font-weight: 600; padding: 6px 8px;
  color: var(--body-text-color-subdued); }
.hd-doc-list th, .hd-doc-list td { text-align: left; vertical-align: top;
  padding: 6px 8px !important; border: none !important;
  border-bottom: 1px solid var(--border-color-primary) !important;
  overflow-wrap: anywhere; background: none; }
.hd-doc-list thead th { position: sticky; top: 0; background: var(--background-fill-secondary); }
.hd-doc-list tbody th { font-weight: 400; }
.hd-doc-list button { all: unset; cursor: pointer; color: var(--link-text-color);
  text-decoration: underline; text-underline-offset: 2px; }
.hd-doc-list button:focus-visible { outline: 2px solid var(--color-accent); outline-offset: 2px; }
/* Outside @media: Gradio scopes rules inside one to descendants of the container. Held to
   the screen, the container no longer takes the width of its widest row: rows wrap. */
.gradio-container { min-width: 0 !important; max-width: min(1320px, 100vw) !important; }
.gradio-container > .main { padding-left: min(32px, 3vw) !important;
  padding-right: min(32px, 3vw) !important; }
@media (max-width: 640px) {
  #hd-header h1 { font-size: 1.4em; }
  .tab-container button { padding: 4px 5px !important; font-size: 0.9em; }
  .hd-sources { max-height: none; }
  #hd-chat { height: 55vh !important; }
  .hd-doc-list tr > :nth-child(n+3) { display: none; }
}
"""

# Capture phase, so the chat's own link handling never opens the anchor in a new tab; the
# card may appear a moment later when the click also switches the panel to an older answer.
HEAD = (
    """
<script>
document.addEventListener("click", (event) => {
  const link = event.target.closest && event.target.closest('a[href^="#hd-cite-"]');
  if (!link) { return; }
  event.preventDefault();
  const id = link.getAttribute("href").slice(1);
  let tries = 0;
  const show = () => {
    const card = document.getElementById(id);
    if (!card) { if (tries++ < 12) { setTimeout(show, 150); } return; }
    card.scrollIntoView({behavior: "smooth", block: "nearest"});
    card.classList.remove("hd-flash");
    void card.offsetWidth;
    card.classList.add("hd-flash");
  };
  show();
}, true);
</script>
"""
    + I18N_HEAD
)
