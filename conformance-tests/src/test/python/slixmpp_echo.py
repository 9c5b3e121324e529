#!/usr/bin/python3
"""slixmpp_echo.py - a real third-party client (Debian's python3-slixmpp) for Parley's
conformance tests.

Logs in over STARTTLS (TLS required, the server certificate verified against --ca-file and
the XMPP domain), sends initial presence, prints READY <full JID>, answers the first chat
message with "echo: <body>" and exits 0. Prints FAIL <reason> and exits 1 on any failure or
after --timeout seconds.

Usage: slixmpp_echo.py --jid USER@DOMAIN/RESOURCE --password PW --host 127.0.0.1 --port N
                       --ca-file server.pem [--timeout 20]
The password may also come from the environment (XMPP_PASSWORD) to keep it off the command line.
"""
import argparse
import asyncio
import logging
import os
import sys

import slixmpp


def out(*words):
    print(*words, flush=True)


class EchoClient(slixmpp.ClientXMPP):
    def __init__(self, jid, password, ca_file):
        super().__init__(jid, password)
        self.done = asyncio.Event()
        self.failure = None
        # Trust exactly the server's self-signed certificate; hostname checking stays on,
        # against the XMPP domain (RFC 6120 section 13.7.2), not the address we connect to.
        self.ssl_context.load_verify_locations(ca_file)
        self.add_event_handler("session_start", self.on_session_start)
        self.add_event_handler("message", self.on_message)
        # slixmpp moves on to its next mechanism after a failure; only running out of them is fatal.
        self.add_event_handler("failed_auth", lambda *_: out("AUTH-RETRY"))
        self.add_event_handler("failed_all_auth", lambda *_: self.fail("authentication failed with every mechanism"))
        self.add_event_handler("connection_failed", lambda e: self.fail("connection failed: %s" % e))
        self.add_event_handler("ssl_invalid_chain", lambda e: self.fail("certificate not trusted: %s" % e))
        self.add_event_handler("disconnected", lambda *_: self.fail("disconnected"))

    def fail(self, why):
        if self.failure is None and not self.done.is_set():
            self.failure = why
            self.done.set()

    def on_session_start(self, _):
        # RFC 6121 section 4.2: initial presence makes this resource available for messages.
        self.send_presence()
        out("READY", self.boundjid.full)

    def on_message(self, msg):
        if msg["type"] in ("chat", "normal") and msg["body"]:
            out("GOT", msg["body"].replace("\n", " "))
            msg.reply("echo: %s" % msg["body"]).send()
            out("SENT echo")
            self.done.set()


async def run(client, timeout):
    await asyncio.wait_for(client.done.wait(), timeout)
    if client.failure:
        raise RuntimeError(client.failure)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jid", required=True)
    parser.add_argument("--password", default=os.environ.get("XMPP_PASSWORD"))
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5222)
    parser.add_argument("--ca-file", required=True)
    parser.add_argument("--timeout", type=float, default=20.0)
    args = parser.parse_args()
    if not args.password:
        sys.exit("no password: pass --password or set XMPP_PASSWORD")
    logging.basicConfig(level=logging.DEBUG if os.environ.get("XMPP_DEBUG") == "1" else logging.CRITICAL)

    client = EchoClient(args.jid, args.password, args.ca_file)
    # An explicit address: slixmpp would otherwise look the domain up in DNS.
    client.connect(address=(args.host, args.port), use_ssl=False, force_starttls=True)
    rc = 0
    try:
        client.loop.run_until_complete(run(client, args.timeout))
        out("OK")
    except asyncio.TimeoutError:
        out("FAIL timeout after %ss" % args.timeout)
        rc = 1
    except Exception as e:  # noqa: BLE001 - any failure is reported the same way
        out("FAIL", e)
        rc = 1
    # Flush the echo before closing the stream.
    client.disconnect(wait=2.0)
    try:
        client.loop.run_until_complete(client.disconnected)
    except Exception:  # noqa: BLE001
        pass
    sys.exit(rc)


if __name__ == "__main__":
    main()
