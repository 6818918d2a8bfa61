"""Content security policy (django-csp): scripts, styles, images, fonts and connections come
from this site only; no inline script runs, nothing may frame the pages.

Styles: <style> elements are refused (every stylesheet is a static file); style="..."
attributes are still allowed (`style-src-attr`), as about thirty templates size charts and
progress bars with them. Browsers without `style-src-attr` fall back to `style-src` and drop
those attributes, which changes looks, not behaviour."""

from csp.constants import NONE, SELF, UNSAFE_INLINE

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "style-src-attr": [UNSAFE_INLINE],
        # data: for the small SVG icons inside Bootstrap's stylesheet
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        # browsers post violations here (stored for the bureau: ruraledu/audit/csp_reports.py)
        "report-uri": "/audit/csp-report/",
    }
}
