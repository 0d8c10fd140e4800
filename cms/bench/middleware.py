"""``X-Byline-Queries``: how many SQL statements a response cost (benchmark only)."""

from contextlib import ExitStack

from django.db import connections


class QueryCountMiddleware:
    header = "X-Byline-Queries"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = 0

        def counting(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with ExitStack() as stack:
            for alias in connections:
                stack.enter_context(connections[alias].execute_wrapper(counting))
            response = self.get_response(request)
        response[self.header] = str(count)
        return response
