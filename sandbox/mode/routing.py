"""Path templates such as ``/reports/{report}/runs`` matched against request paths."""
import re


class Router:
    def __init__(self):
        self._routes = []

    def add(self, template, handler):
        pattern = "^"
        for literal, name in re.findall(r"([^{]*)(?:\{(\w+)\})?", template):
            pattern += re.escape(literal)
            if name:
                pattern += f"(?P<{name}>[^/]+)"
        self._routes.append((template, re.compile(pattern + "$"), handler))

    def match(self, path):
        """``(template, handler, params)``, or ``(None, None, None)``."""
        for template, pattern, handler in self._routes:
            found = pattern.match(path)
            if found:
                return template, handler, found.groupdict()
        return None, None, None

    def templates(self):
        return [template for template, _, _ in self._routes]
