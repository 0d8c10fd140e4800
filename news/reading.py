"""Reading speed: the one figure behind an article's reading time.

`ArticlePage.reading_time` divides the standfirst and body's words by it, and
the editor's live word count (news/static/news/admin/article-editor.js) gets
it from a data attribute on the body panel, so both say the same.
"""

WORDS_PER_MINUTE = 230
