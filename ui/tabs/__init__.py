"""The tabs of the Gradio app, one module each."""
