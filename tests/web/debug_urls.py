"""The site's URLs as routed in debug mode, for tests of debug-only pages."""

from omov.web.urls import build_urlpatterns

urlpatterns = build_urlpatterns(debug=True)
