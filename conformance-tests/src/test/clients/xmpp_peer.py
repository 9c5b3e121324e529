#!/usr/bin/python3
"""xmpp_peer.py - scripted XMPP endpoint built on Debian's python3-slixmpp.

Used two ways:
  * as the *other side* ("peer") for the client scripts in this folder
    (it logs in as XMPP_PEER and checks what the client under test does);
  * as a client under test itself (slixmpp.sh runs it with --as self).

Usage:
  xmpp_peer.py befriend                 # make XMPP_JID and XMPP_PEER mutual
                                        # contacts (subscription 'both')
  xmpp_peer.py run [--as peer|self] [--timeout S] STEP...

STEPs are executed in order:
  roster            fetch the roster, print it, fail unless the other JID is in it
  presence          wait for an 'available' presence from the other JID
  presence=PREFIX   same, from a resource starting with PREFIX (use a unique
                    resource per run: earlier sessions may linger, e.g. BOSH)
  send=TEXT         send a chat message to the other JID: to the full JID
                    matched by the presence step, else to the bare JID
  expect=TEXT       wait for a message from the other JID whose body contains TEXT
                    (messages received before this step count too)
  sleep=S           wait S seconds

Events are printed one per line on stdout (READY, PRESENCE <jid>, SENT <text>,
GOT <body>, ROSTER <jid> <subscription>, OK, FAIL <why>) so shell drivers can
follow them.  Exit status 0 only if every step succeeded before the timeout.

Environment:
  XMPP_JID, XMPP_PASSWORD            the account of the client under test
  XMPP_PEER, XMPP_PEER_PASSWORD      the peer account (default password: XMPP_PASSWORD)
  XMPP_HOST, XMPP_PORT, XMPP_TLS     where/how --as self connects
                                     (XMPP_TLS = starttls | directtls | none)
  XMPP_PEER_HOST, XMPP_PEER_PORT, XMPP_PEER_TLS
                                     where/how --as peer (and befriend) connect;
                                     default XMPP_HOST, 5222, starttls
  XMPP_CA_FILE                       PEM file to trust (e.g. the self-signed cert)
  XMPP_INSECURE=1                    do not verify the server certificate
  XMPP_RESOURCE                      resource for --as self (default: slixmpp)
"""
import asyncio
import logging
import os
import ssl
import sys
from pathlib import Path

import slixmpp


def env(name, default=None):
    v = os.environ.get(name)
    return v if v not in (None, "") else default


def out(*words):
    print(*words, flush=True)


class Endpoint(slixmpp.ClientXMPP):
    def __init__(self, jid, password, other):
        super().__init__(jid, password)
        self.other = slixmpp.JID(other).bare
        self.other_full = None
        self.presence_seen = asyncio.Event()
        self.available = []
        self.bodies = []
        self.new_body = asyncio.Event()
        self.ready = asyncio.Event()
        self.failed = None
        self.auto_authorize = True
        self.auto_subscribe = True
        self.register_plugin("xep_0030")
        self.register_plugin("xep_0199")
        self.add_event_handler("session_start", self.on_start)
        self.add_event_handler("message", self.on_message)
        self.add_event_handler("presence_available", self.on_available)
        # slixmpp moves on to its next SASL mechanism after a failure (e.g. SCRAM-*-PLUS with
        # tls-unique, which TLS 1.3 servers cannot offer): only running out of them is fatal.
        self.add_event_handler("failed_all_auth", lambda *_: self.fail("authentication failed with every mechanism"))
        self.add_event_handler("connection_failed", lambda e: self.fail("connection failed: %s" % e))
        self.add_event_handler("ssl_invalid_chain", lambda e: self.fail("certificate not trusted: %s" % e))
        if env("XMPP_INSECURE") == "1":
            self.ssl_context.check_hostname = False
            self.ssl_context.verify_mode = ssl.CERT_NONE
        elif env("XMPP_CA_FILE"):
            self.ssl_context.load_verify_locations(env("XMPP_CA_FILE"))

    def fail(self, why):
        if not self.failed:
            self.failed = why
        self.ready.set()

    async def on_start(self, _):
        self.send_presence()
        self.ready.set()

    def on_available(self, pres):
        if pres["from"].bare == self.other and pres["from"] != self.boundjid:
            self.available.append(pres["from"])
            out("PRESENCE", pres["from"].full)
            self.presence_seen.set()

    def on_message(self, msg):
        if msg["type"] in ("chat", "normal") and msg["body"] and msg["from"].bare == self.other:
            out("GOT", msg["body"].replace("\n", " "))
            self.bodies.append(msg["body"])
            self.new_body.set()


def connect(xmpp, host, port, tls):
    addr = (host, int(port)) if host else None
    if tls == "directtls":
        xmpp.connect(address=addr, use_ssl=True, force_starttls=False, disable_starttls=True)
    elif tls == "none":
        xmpp.connect(address=addr, use_ssl=False, force_starttls=False, disable_starttls=True)
    else:
        xmpp.connect(address=addr, use_ssl=False, force_starttls=True)


async def run_steps(xmpp, steps):
    await xmpp.ready.wait()
    if xmpp.failed:
        raise RuntimeError(xmpp.failed)
    out("READY", xmpp.boundjid.full)
    for step in steps:
        name, _, arg = step.partition("=")
        if name == "roster":
            await xmpp.get_roster()
            items = xmpp.client_roster
            for j in items:
                out("ROSTER", j, items[j]["subscription"])
            if xmpp.other not in items:
                raise RuntimeError("%s not in roster" % xmpp.other)
        elif name == "presence":
            while True:
                hits = [j for j in xmpp.available if j.resource.startswith(arg)]
                if hits:
                    xmpp.other_full = hits[-1].full
                    break
                xmpp.presence_seen.clear()
                await xmpp.presence_seen.wait()
        elif name == "send":
            # to the session matched by the presence step (a stale session of an
            # earlier run may still be online), else to the bare JID
            xmpp.send_message(mto=xmpp.other_full or xmpp.other, mbody=arg, mtype="chat")
            out("SENT", arg)
        elif name == "expect":
            while not any(arg in b for b in xmpp.bodies):
                xmpp.new_body.clear()
                await xmpp.new_body.wait()
        elif name == "sleep":
            await asyncio.sleep(float(arg))
        else:
            raise RuntimeError("unknown step %r" % step)


async def befriend(a, b):
    """Mutual subscription between a and b (both already connecting)."""
    await asyncio.gather(a.ready.wait(), b.ready.wait())
    for x in (a, b):
        if x.failed:
            raise RuntimeError(x.failed)
    await asyncio.gather(a.get_roster(), b.get_roster())
    a.send_presence_subscription(pto=a.other, ptype="subscribe")
    b.send_presence_subscription(pto=b.other, ptype="subscribe")
    last = None
    while True:
        sa = a.client_roster[b.boundjid.bare]["subscription"] if b.boundjid.bare in a.client_roster else "none"
        sb = b.client_roster[a.boundjid.bare]["subscription"] if a.boundjid.bare in b.client_roster else "none"
        if sa == "both" and sb == "both":
            out("FRIENDS", a.boundjid.bare, b.boundjid.bare)
            return
        if (sa, sb) != last:  # each change once: a stuck state names itself in the failure
            out("STATE", sa, sb)
            last = (sa, sb)
        await asyncio.sleep(0.2)


def main():
    logging.basicConfig(level=logging.DEBUG if env("XMPP_DEBUG") == "1" else logging.CRITICAL)
    args = sys.argv[1:]
    mode = args.pop(0) if args else "help"
    who, timeout = "peer", 30.0
    while args and args[0].startswith("--"):
        opt = args.pop(0)
        if opt == "--as":
            who = args.pop(0)
        elif opt == "--timeout":
            timeout = float(args.pop(0))
        else:
            sys.exit("unknown option " + opt)
    if mode not in ("befriend", "run"):
        print(__doc__)
        sys.exit(2)
    me, me_pw = env("XMPP_JID"), env("XMPP_PASSWORD")
    peer, peer_pw = env("XMPP_PEER"), env("XMPP_PEER_PASSWORD", env("XMPP_PASSWORD"))
    if not (me and me_pw and peer):
        sys.exit("set XMPP_JID, XMPP_PASSWORD, XMPP_PEER (and XMPP_PEER_PASSWORD)")
    p_host = env("XMPP_PEER_HOST", env("XMPP_HOST"))
    p_port = env("XMPP_PEER_PORT", "5222")
    p_tls = env("XMPP_PEER_TLS", "starttls")

    loop = asyncio.get_event_loop()
    clients = []
    if mode == "befriend":
        a = Endpoint(me, me_pw, peer)
        b = Endpoint(peer, peer_pw, me)
        a.other, b.other = slixmpp.JID(peer).bare, slixmpp.JID(me).bare
        clients = [a, b]
        for c in clients:
            connect(c, p_host, p_port, p_tls)
        job = befriend(a, b)
    elif mode == "run":
        if who == "self":
            x = Endpoint(me + ("" if "/" in me else "/" + env("XMPP_RESOURCE", "slixmpp")), me_pw, peer)
            connect(x, env("XMPP_HOST"), env("XMPP_PORT", "5223" if env("XMPP_TLS") == "directtls" else "5222"),
                    env("XMPP_TLS", "starttls"))
        else:
            x = Endpoint(peer + ("" if "/" in peer else "/peer-%d" % os.getpid()), peer_pw, me)
            connect(x, p_host, p_port, p_tls)
        clients = [x]
        job = run_steps(x, args)
    else:
        print(__doc__)
        sys.exit(2)

    rc = 0
    try:
        loop.run_until_complete(asyncio.wait_for(job, timeout))
        out("OK")
    except asyncio.TimeoutError:
        out("FAIL timeout after %ss" % timeout)
        rc = 1
    except Exception as e:  # noqa
        out("FAIL", e)
        rc = 1
    for c in clients:
        c.disconnect(wait=1.0)
    try:
        loop.run_until_complete(asyncio.sleep(0.3))
    except Exception:
        pass
    sys.exit(rc)


if __name__ == "__main__":
    main()
