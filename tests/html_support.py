"""Reading rendered HTML in tests."""


def text(node):
    """A BeautifulSoup node's text as a reader sees it: words separated by single spaces."""
    return " ".join(node.get_text(" ", strip=True).split())
