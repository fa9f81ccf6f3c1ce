"""Records in the API's response shapes, ``_links`` included, for one company origin."""
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
from .ids import event_id, make_id, message_number


def _public(record):
    """Drop the generator's private keys (those starting with an underscore)."""
    return {k: v for k, v in record.items() if not k.startswith("_")}


def message_id(conv, ordinal):
    return make_id("msg", message_number(conv.index, ordinal))


def comment_id(conv, ordinal):
    return make_id("com", message_number(conv.index, ordinal))


def conversation_id(index):
    return make_id("cnv", index + 1)


class Renderer:
    def __init__(self, world, timelines, origin, ticketing=True, contact_updated_at=True):
        self.world = world
        self.timelines = timelines
        self.origin = origin
        self.ticketing = ticketing
        self.contact_updated_at = contact_updated_at
        self._static = {}
        self._conversation_fields = {}
        self._children = {t["_parent"] for t in world.tags if t["_parent"] is not None}

    def url(self, *parts):
        return self.origin + "/" + "/".join(parts)

    def static(self, kind):
        """A list of small records, rendered once: teammates, inboxes, tags, accounts, ..."""
        records = self._static.get(kind)
        if records is None:
            source = getattr(self.world, kind)
            render = getattr(self, "_" + kind)
            records = self._static[kind] = [render(i, r) for i, r in enumerate(source)]
        return records

    def custom_fields(self, resource):
        key = "custom_fields:" + resource
        if key not in self._static:
            self._static[key] = [dict(f, _links={"self": self.url("custom_fields", f["id"])})
                                 for f in self.world.custom_fields[resource]]
        return self._static[key]

    # -- small records -----------------------------------------------------------------------
    def me(self):
        return dict(self.world.company, _links={"self": self.url("me")})

    def _teammates(self, i, r):
        base = self.url("teammates", r["id"])
        return dict(r, _links={"self": base, "related": {"inboxes": base + "/inboxes",
                                                         "conversations": base + "/conversations"}})

    def _teams(self, i, r):
        return dict(r, _links={"self": self.url("teams", r["id"])})

    def _teammate_groups(self, i, r):
        base = self.url("teammate_groups", r["id"])
        return dict(r, _links={"self": base, "related": {
            "teammates": base + "/teammates", "teams": base + "/teams", "inboxes": base + "/inboxes"}})

    def _inboxes(self, i, r):
        base = self.url("inboxes", r["id"])
        return dict(r, _links={"self": base, "related": {
            "teammates": base + "/teammates", "conversations": base + "/conversations",
            "channels": base + "/channels"}})

    def _channels(self, i, r):
        inboxes = self.world.inboxes
        inbox = self.url("inboxes", inboxes[i]["id"]) if i < len(inboxes) else None
        return dict(r, _links={"self": self.url("channels", r["id"]), "related": {"inbox": inbox}})

    def _tags(self, i, r):
        base = self.url("tags", r["id"])
        parent = r["_parent"]
        related = {
            "conversations": base + "/conversations",
            "owner": None,
            "parent_tag": self.url("tags", self.world.tags[parent]["id"]) if parent is not None else None,
            "children": base + "/children" if i in self._children else None,
        }
        return dict(_public(r), _links={"self": base, "related": related})

    def _contact_lists(self, i, r):
        base = self.url("contact_lists", r["id"])
        return dict(r, _links={"self": base, "related": {"contacts": base + "/contacts"}})

    def _accounts(self, i, r):
        base = self.url("accounts", r["id"])
        return dict(r, _links={"self": base, "related": {"contacts": base + "/contacts"}})

    def _links(self, i, r):
        return dict(r, _links={"self": self.url("links", r["id"])})

    def _rules(self, i, r):
        return dict(r, _links={"self": self.url("rules", r["id"]), "related": {"owner": None}})

    def _message_template_folders(self, i, r):
        base = self.url("message_template_folders", r["id"])
        return dict(r, _links={"self": base, "related": {
            "owner": None, "parent_folder": None,
            "child_folders": base + "/message_template_folders",
            "child_answers": base + "/message_templates"}})

    def _message_templates(self, i, r):
        folder = r["_folder"]
        parent = (self.url("message_template_folders", self.world.message_template_folders[folder]["id"])
                  if folder is not None else None)
        return dict(_public(r), _links={"self": self.url("message_templates", r["id"]),
                                        "related": {"owner": None, "parent_folder": parent}})

    def _shifts(self, i, r):
        base = self.url("shifts", r["id"])
        return dict(r, _links={"self": base, "related": {"teammates": base + "/teammates"}})

    def _statuses(self, i, r):
        return dict(r, _links={"self": self.url("company", "statuses", r["id"])})

    # -- contacts ----------------------------------------------------------------------------
    def contact(self, i):
        r = self.world.contacts.record(i)
        base = self.url("contacts", r["id"])
        lists = [self.static("contact_lists")[j] for j in r["_lists"]]
        record = _public(r)
        record["groups"] = lists
        record["lists"] = lists
        if not self.contact_updated_at:
            del record["updated_at"]
        record["_links"] = {"self": base, "related": {"notes": base + "/notes",
                                                      "conversations": base + "/conversations"}}
        return record

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
        return {
            "_links": {"self": self.url("messages", mid), "related": {
                "conversation": self.url("conversations", conversation_id(host.index)),
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
        return {
            "_links": {"self": self.url("comments", cid), "related": {
                "conversation": self.url("conversations", conversation_id(host.index)),
                "mentions": self.url("comments", cid, "mentions"),
                "comment_replied_to": None}},
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
