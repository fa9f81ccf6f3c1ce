"""Conversations, their messages and comments, and events in the API's response shapes."""
import hashlib

from . import words
from .conversations import (
    ASSIGN,
    COMMENT,
    CUSTOM_FIELD,
    EVENT_TYPES,
    INBOUND,
    MERGE,
    MESSAGE_KINDS,
    MOVE,
    OUTBOUND,
    TAG,
    UNTAG,
    actor_teammate,
    inbox_at,
)
from .ids import comment_id, conversation_id, event_id, make_id, message_id, message_number
from .relations import comment_replied_to, message_replied_to


class ConversationRendering:
    """The conversation half of ``render.Renderer``, whose ``__init__`` sets up the state
    both halves use."""

    # -- conversations -----------------------------------------------------------------------
    def subject(self, conv):
        seed = conv.subject_seed
        return (f"{words.SUBJECT_OPENERS[seed % len(words.SUBJECT_OPENERS)]} "
                f"{words.SUBJECT_TOPICS[(seed >> 8) % len(words.SUBJECT_TOPICS)]}")

    def status_category(self, conv):
        if conv.status in ("archived", "deleted"):
            return "resolved"
        return "open" if conv.last_is_inbound else "waiting"

    def conversation(self, conv):
        cid = conversation_id(conv.index)
        base = self.url("conversations", cid)
        teammates = self.static("teammates")
        related = {"events": base + "/events", "followers": base + "/followers",
                   "messages": base + "/messages", "comments": base + "/comments",
                   "inboxes": base + "/inboxes"}
        if conv.absorbed:
            thread = self.timelines.thread(conv, MESSAGE_KINDS)
            if thread:
                owner, last = thread[-1]
                related["last_message"] = self.url("messages", message_id(owner, last.ordinal))
        elif conv.n_messages:
            related["last_message"] = self.url("messages", message_id(conv, conv.n_messages - 1))
        record = {
            "_links": {"self": base, "related": related},
            "id": cid,
            "type": "conversation",
            "subject": self.subject(conv),
            "status": conv.status,
            "ticket_ids": [f"TKT-{1000 + conv.index}"] if self.ticketing else [],
            "assignee": teammates[conv.assignee] if conv.assignee >= 0 else None,
            "recipient": self.contact_recipient(conv.contact, "from"),
            "tags": [self.static("tags")[t] for t in conv.tags],
            "links": [self.static("links")[k] for k in conv.links],
            "custom_fields": conv.fields if conv.fields is not None else self.conversation_fields(conv.index),
            "created_at": conv.created_at,
            "updated_at": conv.updated_at,
            "is_private": False,
            "scheduled_reminders": [],
            "metadata": {},
        }
        if conv.waiting_since is not None and conv.status != "archived":
            record["waiting_since"] = conv.waiting_since
        if self.ticketing:
            category = self.status_category(conv)
            status = next(s for s in self.static("statuses") if s["category"] == category)
            record["status_id"] = status["id"]
            record["status_category"] = category
        return record

    def conversation_fields(self, index):
        values = self._conversation_fields.get(index)
        if values is None:
            if len(self._conversation_fields) > 50000:
                self._conversation_fields.clear()
            values = self._conversation_fields[index] = self.world.conversation_field_values(index)
        return values

    def contact_recipient(self, contact_index, role):
        contacts = self.world.contacts
        first, last = contacts.name(contact_index)
        return {"_links": {"related": {"contact": self.url("contacts", make_id("crd", contact_index + 1))}},
                "name": f"{first} {last}", "handle": contacts.email(contact_index), "role": role}

    def channel_recipient(self, conv, role, at):
        channel = self.world.channels[inbox_at(conv, at)]  # the inbox it was in at the time
        return {"_links": {"related": {"contact": None}}, "name": channel["name"],
                "handle": channel["address"], "role": role}

    def message(self, conv, activity, host=None):
        """A message of ``conv``, listed under ``host`` (the conversation it was merged into)."""
        host = conv if host is None else host
        mid = message_id(conv, activity.ordinal)
        rng = self.world.rng("message", conv.index, activity.ordinal)
        text = " ".join(rng.sample(words.SENTENCES, 2))
        inbound = activity.kind == INBOUND
        if inbound:
            recipients = [self.contact_recipient(conv.contact, "from"),
                          self.channel_recipient(conv, "to", activity.at)]
        else:
            recipients = [self.channel_recipient(conv, "from", activity.at),
                          self.contact_recipient(conv.contact, "to")]
        attachments = []
        if rng.random() < 0.1:
            file_id = make_id("fil", message_number(conv.index, activity.ordinal))
            attachments.append({"id": file_id, "filename": "details.pdf",
                                "url": self.url("download", file_id),
                                "content_type": "application/pdf", "size": rng.randint(2000, 900000),
                                "metadata": {"is_inline": False}})
        subject = self.subject(conv)
        replied_to = message_replied_to(activity.ordinal)
        return {
            "_links": {"self": self.url("messages", mid), "related": {
                "conversation": self.url("conversations", conversation_id(host.index)),
                "message_replied_to": (self.url("messages", message_id(conv, replied_to))
                                       if replied_to is not None else None),
                "message_seen": self.url("messages", mid, "seen")}},
            "id": mid,
            "message_uid": hashlib.md5(mid.encode()).hexdigest()[:24],
            "type": "email",
            "is_inbound": inbound,
            "draft_mode": None,
            "created_at": activity.at,
            "subject": subject if activity.ordinal == 0 else "Re: " + subject,
            "blurb": text[:60],
            # Inbound messages have no teammate author: the API sends null.
            "author": None if inbound else self.static("teammates")[activity.actor],
            "recipients": recipients,
            "body": f"<div><p>{text}</p></div>",
            "text": text,
            "attachments": attachments,
            "metadata": {},
        }

    def comment(self, conv, activity, host=None):
        host = conv if host is None else host
        cid = comment_id(conv, activity.ordinal)
        rng = self.world.rng("comment", conv.index, activity.ordinal)
        replied_to = comment_replied_to(self.world, conv.index, activity.ordinal)
        return {
            "_links": {"self": self.url("comments", cid), "related": {
                "conversation": self.url("conversations", conversation_id(host.index)),
                "mentions": self.url("comments", cid, "mentions"),
                "comment_replied_to": (self.url("comments", comment_id(conv, replied_to))
                                       if replied_to is not None else None)}},
            "id": cid,
            "author": self.static("teammates")[activity.actor],
            "body": rng.choice(("Can someone from billing check this?", "Escalating to tier 2.",
                                "Customer called as well, see notes.", "Refund approved.",
                                "Waiting on the warehouse.")),
            "posted_at": activity.at,
            "attachments": [],
            "is_pinned": rng.random() < 0.1,
        }

    def event(self, row):
        """The event at index row ``row`` (its sequence is ``row + 1``). Its conversation is
        embedded as it is now; source and target are as they were when it was emitted."""
        timelines = self.timelines
        conv = timelines.items[timelines.ev_conv[row]]
        activity = timelines.activities(conv)[timelines.ev_act[row]]
        kind = activity.kind
        eid = event_id(row + 1)
        record = {"_links": {"self": self.url("events", eid)}, "id": eid,
                  "type": EVENT_TYPES[kind], "emitted_at": activity.at}
        teammates = self.static("teammates")
        if kind == INBOUND:
            record["source"] = {"_meta": {"type": "inboxes"},
                                "data": [self.static("inboxes")[inbox_at(conv, activity.at)]]}
        elif kind == TAG and activity.actor % 2 == 0 and self.world.rules:
            rules = self.static("rules")
            record["source"] = {"_meta": {"type": "rule"}, "data": rules[activity.actor % len(rules)]}
        else:
            record["source"] = {"_meta": {"type": "teammate"},
                                "data": teammates[actor_teammate(activity)]}
        target = None
        if kind in (INBOUND, OUTBOUND):
            target = ("message", self.message(conv, activity, timelines.host(conv)))
        elif kind == COMMENT:
            target = ("comment", self.comment(conv, activity, timelines.host(conv)))
        elif kind == ASSIGN:
            target = ("teammate", teammates[activity.actor])
        elif kind in (TAG, UNTAG):
            target = ("tag", self.static("tags")[activity.actor])
        elif kind == MOVE:
            target = ("inboxes", self.static("inboxes")[activity.actor])
        elif kind == CUSTOM_FIELD:
            target = ("custom_field", self.custom_fields("conversations")[activity.actor])
        elif kind == MERGE:
            # The spec gives target data as an object: the ids of the conversations merged in.
            target = ("deleted_conversation_ids", {"ids": [conversation_id(activity.actor)]})
        # archive, reopen, unassign, trash, restore: no target (as Front documents)
        if target is not None:
            record["target"] = {"_meta": {"type": target[0]}, "data": target[1]}
        record["conversation"] = self.conversation(conv)
        return record
