"""The Gradio app, the REST API and the feedback store for civil servants."""

import os

# Gradio reads this when it starts; importing any ui module turns its analytics off first.
os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
