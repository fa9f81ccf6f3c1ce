"""Path templates such as ``/conversations/{id}/messages`` matched against request paths.

Both simulated APIs register their routes on a ``Router``. The template is also the endpoint's
name in request statistics and in the fault spec's ``@ENDPOINT``. Routes are tried in the order
they were added: the first that fits wins.
"""
import re


def compile_template(template, slashes=()):
    """A regex for ``template``: ``{name}`` matches one path segment, or, for the names in
    ``slashes``, the rest of the path, slashes included."""
    pattern = "^"
    for literal, name in re.findall(r"([^{]*)(?:\{(\w+)\})?", template):
        pattern += re.escape(literal)
        if name:
            pattern += f"(?P<{name}>{'.+' if name in slashes else '[^/]+'})"
    return re.compile(pattern + "$")


class Route:
    def __init__(self, template, handler, method=None, slashes=(), **meta):
        self.template = template
        self.handler = handler
        self.method = method           # None: any method
        self.meta = meta               # what the app keeps per route (Front: scope, auth)
        self.pattern = compile_template(template, slashes)


class Router:
    def __init__(self):
        self.routes = []

    def add(self, template, handler, method=None, slashes=(), **meta):
        """Register ``handler(app, request, params)`` for ``template``; ``params`` maps the
        template's names to their values in the path."""
        self.routes.append(Route(template, handler, method, slashes, **meta))

    def match(self, path, method=None):
        """``(route, params)`` for the first route matching ``path`` whose method is
        ``method`` (or any), or ``(None, None)``."""
        for route in self.routes:
            if route.method is None or route.method == method:
                found = route.pattern.match(path)
                if found:
                    return route, found.groupdict()
        return None, None

    def template_of(self, path):
        """The template of the first route matching ``path`` whatever its method, or None."""
        for route in self.routes:
            if route.pattern.match(path):
                return route.template
        return None

    def templates(self):
        return [route.template for route in self.routes]
