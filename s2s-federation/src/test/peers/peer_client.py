#!/usr/bin/python3
"""peer_client.py - one slixmpp account on a test peer server, driven line by line.

Usage: peer_client.py JID PASSWORD HOST PORT

Logs JID in on HOST:PORT (STARTTLS when offered, certificate checks off: the
test peers use self-signed certificates), fetches the roster, sends initial
presence, then prints one JSON object per line on stdout for everything it
receives and obeys one JSON command per line on stdin:

  {"cmd": "presence", "to": "x@y", "type": "subscribe", "show": "away", "status": "..."}
  {"cmd": "presence", "to": "room@service/nick", "muc": true}
                           -> enters a room (XEP-0045 §7.2.1, no history: maxstanzas='0')
  {"cmd": "message", "to": "x@y", "body": "...", "id": "m1", "type": "groupchat"}
                           -> type defaults to "chat"
  {"cmd": "muc_instant", "room": "room@service"}
                           -> accepts the default configuration of a room just created
                              (XEP-0045 §10.1.2); {"event": "instant", "room", "type": "result"}
                              or the error condition as "type"
  {"cmd": "roster"}        -> {"event": "roster", "items": {"x@y": {"subscription": "both", "ask": ""}}}
  {"cmd": "expect", "count": N}  -> stops reporting messages; {"event": "received"}
                                    once N more messages arrived (benchmarks)
  {"cmd": "burst", "to": "x@y", "count": N}  -> sends N chat messages as fast as it can
  {"cmd": "pep_interest", "node": "n"}  -> adds n+notify to the client's features and sends
                                    presence with the new entity capabilities (XEP-0163 §4.2);
                                    {"event": "interest"}
  {"cmd": "items", "to": "x@y", "node": "n"}  -> XEP-0060 §6.5 items request;
                                    {"event": "items", "node", "items": [{"id", "xml"}]} or
                                    {"event": "items_error", "node", "condition"}
  {"cmd": "subscribe", "to": "x@y", "node": "n"}  -> XEP-0060 §6.1 subscription of the bare JID;
                                    {"event": "subscribed", "node", "subscription"} or
                                    {"event": "subscribe_error", "node", "condition"}
  {"cmd": "publish", "node": "n", "id": "i", "xml": "<payload/>", "options": {"pubsub#access_model": "open"}}
                           -> XEP-0060 §7.1 publish to the account's own PEP service, with the
                              options as publish-options (§7.1.5); {"event": "published", "node"}
                              or {"event": "publish_error", "node", "condition"}
  {"cmd": "quit"}          -> disconnects and exits

Events: {"event": "ready"}, {"event": "failed", "reason": ...},
{"event": "presence", "from", "to", "type", "show", "status", "codes", "error"},
{"event": "message", "from", "to", "type", "body", "id", "error"},
where "codes" are the XEP-0045 status codes of a muc#user <x/> (a list) and "error" the
condition of an error stanza ("" for others).
{"event": "roster_push", "jid", "subscription", "ask"},
{"event": "pep", "from", "node", "id", "xml"} for each PubSub event notification item.
Subscription requests are never answered automatically: the test decides.
Needs python3-slixmpp (Debian package), run with /usr/bin/python3.
"""
import asyncio
import json
import logging
import ssl
import sys
import xml.etree.ElementTree as ET

import slixmpp

MUC = "http://jabber.org/protocol/muc"
MUC_USER = MUC + "#user"
MUC_OWNER = MUC + "#owner"


def emit(**event):
    sys.stdout.write(json.dumps(event) + "\n")
    sys.stdout.flush()


class PeerClient(slixmpp.ClientXMPP):
    def __init__(self, jid, password):
        super().__init__(jid, password)
        self.ssl_context.check_hostname = False
        self.ssl_context.verify_mode = ssl.CERT_NONE
        # None: neither accept nor refuse subscription requests on our own.
        self.roster.auto_authorize = None
        self.roster.auto_subscribe = False
        self.expected = 0
        # Entity capabilities (XEP-0115) and PEP (XEP-0163): the client answers disco#info
        # about its caps and can ask for notifications with +notify.
        for plugin in ("xep_0030", "xep_0060", "xep_0115", "xep_0163"):
            self.register_plugin(plugin)
        self.add_event_handler("pubsub_publish", self.on_pep)
        self.add_event_handler("session_start", self.on_start)
        self.add_event_handler("failed_auth", lambda _e: emit(event="failed", reason="authentication"))
        self.add_event_handler("message", self.on_message)
        self.add_event_handler("presence", self.on_presence)
        self.add_event_handler("roster_update", self.on_roster_update)

    async def on_start(self, _event):
        await self.get_roster()
        # Ready once the server has our initial presence: it sends it back to this resource
        # (RFC 6121 §4.2.2). Until then a message to our bare JID finds no available resource,
        # and the server may store it offline instead of delivering it (§8.5.2.1.1).
        self.own_presence = asyncio.get_event_loop().create_future()
        self.send_presence()
        try:
            await asyncio.wait_for(asyncio.shield(self.own_presence), 30)
        except asyncio.TimeoutError:
            pass  # the test's own waits say what is missing
        emit(event="ready", jid=str(self.boundjid))
        asyncio.ensure_future(self.read_commands())

    def on_message(self, msg):
        if self.expected > 0:
            self.expected -= 1
            if self.expected == 0:
                emit(event="received")
            return
        emit(event="message", **{"from": str(msg["from"]), "to": str(msg["to"]), "type": msg["type"],
                                 "body": msg["body"], "id": msg["id"], "error": error_condition(msg)})

    def on_presence(self, pres):
        own = getattr(self, "own_presence", None)
        if own is not None and not own.done() and pres["from"] == self.boundjid and pres["type"] != "unavailable":
            own.set_result(True)
        kind = pres["type"]
        if kind in ("available", "away", "chat", "dnd", "xa"):
            kind = ""  # slixmpp reports <show/> as the type; the stanza had none
        codes = [int(status.get("code")) for status in pres.xml.findall("{%s}x/{%s}status" % (MUC_USER, MUC_USER))]
        emit(event="presence", **{"from": str(pres["from"]), "to": str(pres["to"]), "type": kind,
                                  "show": pres["show"], "status": pres["status"], "codes": codes,
                                  "error": error_condition(pres)})

    def on_pep(self, msg):
        items = msg["pubsub_event"]["items"]
        # Not "for item in items": a stanza is its own iterator, and slixmpp is iterating it
        # while it calls this handler (a nested loop would restart it, forever).
        for item in list(items.iterables):
            emit(event="pep", **{"from": str(msg["from"]), "node": items["node"], "id": item["id"],
                                 "xml": str(item)})

    async def items(self, to, node):
        try:
            result = await self["xep_0060"].get_items(to, node)
        except slixmpp.exceptions.IqError as e:
            emit(event="items_error", node=node, condition=e.iq["error"]["condition"])
            return
        emit(event="items", node=node, items=[{"id": item["id"], "xml": str(item)}
                                              for item in result["pubsub"]["items"]])

    async def subscribe(self, to, node):
        try:
            result = await self["xep_0060"].subscribe(to, node, subscribee=self.boundjid.bare)
        except slixmpp.exceptions.IqError as e:
            emit(event="subscribe_error", node=node, condition=e.iq["error"]["condition"])
            return
        emit(event="subscribed", node=node, subscription=result["pubsub"]["subscription"]["subscription"])

    async def publish(self, node, item_id, xml, options):
        form = None
        if options:
            fields = "".join("<field var='%s'><value>%s</value></field>" % (var, value) for var, value in options.items())
            form = ET.fromstring("<x xmlns='jabber:x:data' type='submit'><field var='FORM_TYPE' type='hidden'>"
                                 "<value>http://jabber.org/protocol/pubsub#publish-options</value></field>%s</x>" % fields)
        try:
            await self["xep_0060"].publish(None, node, id=item_id, payload=ET.fromstring(xml), options=form)
        except slixmpp.exceptions.IqError as e:
            emit(event="publish_error", node=node, condition=e.iq["error"]["condition"])
            return
        emit(event="published", node=node)

    async def instant_room(self, room):
        iq = self.make_iq_set(ito=room)
        iq.append(ET.fromstring("<query xmlns='%s'><x xmlns='jabber:x:data' type='submit'/></query>" % MUC_OWNER))
        try:
            await iq.send()
        except slixmpp.exceptions.IqError as e:
            emit(event="instant", room=room, type=e.iq["error"]["condition"])
            return
        emit(event="instant", room=room, type="result")

    def on_roster_update(self, iq):
        for jid, item in iq["roster"]["items"].items():
            emit(event="roster_push", jid=str(jid), subscription=item["subscription"], ask=item["ask"] or "")

    async def read_commands(self):
        loop = asyncio.get_event_loop()
        while True:
            line = await loop.run_in_executor(None, sys.stdin.readline)
            if not line or not line.strip():
                if not line:
                    break
                continue
            command = json.loads(line)
            name = command.pop("cmd")
            if name == "quit":
                break
            if name == "presence":
                pres = self.make_presence(pto=command.get("to"), ptype=command.get("type"),
                                          pshow=command.get("show"), pstatus=command.get("status"))
                if command.get("muc"):
                    pres.append(ET.fromstring("<x xmlns='%s'><history maxstanzas='0'/></x>" % MUC))
                pres.send()
            elif name == "muc_instant":
                await self.instant_room(command["room"])
            elif name == "message":
                msg = self.make_message(mto=command["to"], mbody=command["body"], mtype=command.get("type", "chat"))
                if "id" in command:
                    msg["id"] = command["id"]
                msg.send()
            elif name == "pep_interest":
                self["xep_0163"].add_interest(command["node"])
                # Computes the new ver and sends presence with it (XEP-0115 §4).
                await self["xep_0115"].update_caps()
                emit(event="interest")
            elif name == "publish":
                await self.publish(command["node"], command["id"], command["xml"], command.get("options", {}))
            elif name == "items":
                await self.items(command["to"], command["node"])
            elif name == "subscribe":
                await self.subscribe(command["to"], command["node"])
            elif name == "expect":
                self.expected = int(command["count"])
            elif name == "burst":
                for i in range(int(command["count"])):
                    self.send_message(mto=command["to"], mbody="burst %d" % i, mtype="chat")
            elif name == "roster":
                # With roster versioning the answer may be empty ("no change"): report the
                # roster slixmpp keeps, brought up to date by the answer and the pushes.
                await self.get_roster()
                roster = self.client_roster
                items = {jid: {"subscription": roster[jid]["subscription"],
                               "ask": "subscribe" if roster[jid]["pending_out"] else ""}
                         for jid in roster if jid != self.boundjid.bare}
                emit(event="roster", items=items)
            else:
                emit(event="error", reason="unknown command " + name)
        self.disconnect()
        await asyncio.sleep(0.2)
        emit(event="closed")
        loop.stop()


def error_condition(stanza):
    return stanza["error"]["condition"] if stanza["type"] == "error" else ""


def main():
    jid, password, host, port = sys.argv[1:5]
    logging.basicConfig(level=logging.CRITICAL, stream=sys.stderr)
    client = PeerClient(jid, password)
    client.connect(address=(host, int(port)))
    client.loop.run_forever()


if __name__ == "__main__":
    main()
