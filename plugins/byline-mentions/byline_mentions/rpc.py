"""XML-RPC for Pingback: safe parsing, dispatch, and the protocol's fault codes.

The standard library's `xmlrpc.server.SimpleXMLRPCDispatcher` registers and
calls the methods, and `xmlrpc.client.dumps` writes the answers; the request
itself is parsed with defusedxml's expat parser (no DTDs, no entities, no
external references) instead of `xmlrpc.client.loads`, so an XML bomb is a
fault, not a hung worker. Every failure is answered with an XML-RPC fault:
the Pingback 1.0 codes for pingback errors and the interoperability codes
(-32700 ...) for broken requests.

`system.multicall` is deliberately not offered: one HTTP request must not
be able to start many pingbacks (each one fetches a page).
"""

import logging
import xmlrpc.client
from xmlrpc.server import SimpleXMLRPCDispatcher

from defusedxml.xmlrpc import DefusedExpatParser, defused_gzip_decode

logger = logging.getLogger("byline.plugins.mentions")

# Pingback 1.0, section "Error codes".
GENERIC_FAULT = 0x0000
SOURCE_NOT_FOUND = 0x0010
SOURCE_HAS_NO_LINK = 0x0011
TARGET_NOT_FOUND = 0x0020
TARGET_NOT_PINGABLE = 0x0021
ALREADY_REGISTERED = 0x0030
ACCESS_DENIED = 0x0031
UPSTREAM_ERROR = 0x0032

# Specification for Fault Code Interoperability (xmlrpc-epi).
PARSE_ERROR = -32700
UNSUPPORTED_ENCODING = -32701
INVALID_REQUEST = -32600
METHOD_NOT_FOUND = -32601
INVALID_PARAMS = -32602
INTERNAL_ERROR = -32603

MAX_REQUEST_BYTES = 64 * 1024

Fault = xmlrpc.client.Fault


def safe_loads(data, limit=MAX_REQUEST_BYTES):
    """(params, method name) of an XML-RPC message, parsed without DTDs or entities.

    Raises Fault(PARSE_ERROR) for anything that is not well-formed XML-RPC.
    """
    if len(data) > limit:
        raise Fault(PARSE_ERROR, f"parse error: request larger than {limit} bytes")
    unmarshaller = xmlrpc.client.Unmarshaller()
    parser = DefusedExpatParser(unmarshaller, forbid_dtd=True)
    try:
        parser.feed(data)
        parser.close()
        return unmarshaller.close(), unmarshaller.getmethodname()
    except Fault:
        raise
    except Exception as exc:  # expat errors, defusedxml refusals, bad values, missing parts
        raise Fault(PARSE_ERROR, f"parse error: not well-formed XML-RPC ({exc})") from exc


def dumps_fault(code, message):
    return xmlrpc.client.dumps(Fault(code, message), methodresponse=True, encoding="utf-8")


class PingbackDispatcher(SimpleXMLRPCDispatcher):
    """A dispatcher whose methods receive the Django request as first argument."""

    def __init__(self):
        super().__init__(allow_none=False, encoding="utf-8")
        self.register_introspection_functions()

    def dispatch(self, request, data, content_encoding=""):
        """Bytes of the XML-RPC answer (a result or a fault) to `data`."""
        try:
            if content_encoding == "gzip":
                try:
                    data = defused_gzip_decode(data, limit=MAX_REQUEST_BYTES)
                except Exception as exc:
                    raise Fault(PARSE_ERROR, f"parse error: bad gzip data ({exc})") from exc
            elif content_encoding not in ("", "identity"):
                raise Fault(UNSUPPORTED_ENCODING, f"unsupported encoding {content_encoding!r}")
            params, method = safe_loads(data)
            if method is None:
                raise Fault(INVALID_REQUEST, "invalid XML-RPC: not a methodCall")
            if method not in self.funcs:
                raise Fault(METHOD_NOT_FOUND, f"method {method!r} is not supported")
            func = self.funcs[method]
            # Introspection needs no request; the pingback methods do.
            args = params if method.startswith("system.") else (request, *params)
            result = func(*args)
            return xmlrpc.client.dumps(
                (result,), methodresponse=True, allow_none=False, encoding="utf-8"
            )
        except Fault as fault:
            return dumps_fault(fault.faultCode, fault.faultString)
        except TypeError as exc:
            return dumps_fault(INVALID_PARAMS, f"invalid method parameters: {exc}")
        except Exception:
            logger.exception("XML-RPC method failed")
            return dumps_fault(INTERNAL_ERROR, "internal error")
