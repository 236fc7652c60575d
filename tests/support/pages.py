"""Reading a page as a browser would find it: what it references, and its security policy."""

from html.parser import HTMLParser


class References(HTMLParser):
    """The URLs an HTML page references, and the text of its script elements."""

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []
        self.scripts: list[dict] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name in ("src", "href", "action", "poster", "data"):
            if attributes.get(name):
                self.urls.append(attributes[name])
        if tag == "script":
            self.scripts.append({"src": attributes.get("src"), "text": ""})
            self._in_script = True

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1]["text"] += data


def page_references(html: str) -> References:
    """What the page ``html`` references."""
    parser = References()
    parser.feed(html)
    parser.close()
    return parser


def parse_policy(header: str) -> dict[str, list[str]]:
    """A Content-Security-Policy header as ``{directive: [value, ...]}``."""
    directives = {}
    for directive in header.split(";"):
        name, *values = directive.split()
        directives[name] = values
    return directives
