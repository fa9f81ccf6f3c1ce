"""Records in the API's response shapes, ``_links`` included, for one company origin.
Conversations and what hangs off them are rendered by ``render_conversations``."""
from .render_conversations import ConversationRendering
from .render_related import RelatedRendering
from .render_related import public as _public


class Renderer(ConversationRendering, RelatedRendering):
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
            "channels": base + "/channels", "owner": self.owner_url(self.world.inbox_owners[i])}})

    def _channels(self, i, r):
        inboxes = self.world.inboxes
        inbox = self.url("inboxes", inboxes[i]["id"]) if i < len(inboxes) else None
        return dict(r, _links={"self": self.url("channels", r["id"]), "related": {
            "inbox": inbox, "owner": self.owner_url(self.world.channel_owners[i])}})

    def _tags(self, i, r):
        base = self.url("tags", r["id"])
        parent = r["_parent"]
        related = {
            "conversations": base + "/conversations",
            "owner": self.owner_url(self.world.tag_owners[i]),
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
        return dict(r, _links={"self": self.url("rules", r["id"]),
                               "related": {"owner": self.owner_url(self.world.rule_owners[i])}})

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
                                        "related": {"owner": self.owner_url(self.world.template_owners[i]),
                                                    "parent_folder": parent}})

    def _shifts(self, i, r):
        base = self.url("shifts", r["id"])
        return dict(r, _links={"self": base, "related": {
            "teammates": base + "/teammates", "owner": self.owner_url(self.world.shift_owners[i])}})

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
        record["_links"] = {"self": base, "related": {
            "notes": base + "/notes", "conversations": base + "/conversations",
            "owner": self.owner_url(self.world.contact_owners[i])}}
        return record
