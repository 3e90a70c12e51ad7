"""Look and behaviour of the page: theme (system fonts, nothing fetched), CSS, and the script
that makes an answer's ``[n]`` markers scroll to their source card."""

import gradio as gr

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
    """A calm blue theme using fonts already on the machine (offline offices have no CDN)."""
    return gr.themes.Soft(
        primary_hue=gr.themes.colors.blue,
        secondary_hue=gr.themes.colors.sky,
        neutral_hue=gr.themes.colors.slate,
        font=SYSTEM_FONTS,
        font_mono=MONO_FONTS,
    ).set(body_text_size="16px")


CSS = """
.gradio-container { max-width: 1320px !important; margin: 0 auto; }
#hd-header h1 { margin-bottom: 0.1em; }
#hd-header p { margin-top: 0; color: var(--body-text-color-subdued); }
#hd-chat button[aria-label="Clear"] { display: none; }
#hd-status { min-height: 1.6em; font-size: 0.92em; color: var(--body-text-color-subdued); }
.hd-examples { flex-wrap: wrap !important; gap: 6px !important; }
.hd-examples button { flex: 0 1 auto !important; min-width: 0 !important; width: auto !important;
  white-space: normal; text-align: left; font-weight: 400; }
.hd-actions { gap: 8px !important; }
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
  color: var(--color-accent) !important; cursor: pointer; }
.hd-outline { list-style: none; padding: 0 !important; margin: 0; max-height: 60vh;
  overflow-y: auto; border: 1px solid var(--border-color-primary); border-radius: 8px; }
.hd-outline li { padding: 4px 8px; margin: 0 !important; cursor: pointer; line-height: 1.4;
  border-bottom: 1px solid var(--border-color-primary); list-style: none; }
.hd-outline li:hover, .hd-outline li:focus { background: var(--background-fill-secondary);
  outline: none; }
.hd-outline .hd-kind-part { font-weight: 600; }
.hd-outline .hd-depth-1 { padding-left: 1.5em; }
.hd-outline .hd-depth-2 { padding-left: 2.7em; }
.hd-outline .hd-depth-3 { padding-left: 3.9em; }
.hd-outline .hd-depth-4 { padding-left: 5.1em; }
.hd-doc-card h3 { margin: 4px 0 8px; font-size: 1.05em; }
#hd-doc-table { --font-mono: var(--font); }
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
@media (max-width: 640px) {
  .gradio-container { padding: 6px !important; }
  .hd-sources { max-height: none; }
  #hd-chat { height: 60vh !important; }
}
"""

# Capture phase, so the chat's own link handling never opens the anchor in a new tab; the
# card may appear a moment later when the click also switches the panel to an older answer.
HEAD = """
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
document.documentElement.lang = "vi";
</script>
"""
