"""The records that hang off teammates, teams, contacts and knowledge bases, and the owner
links of the others, in the API's shapes. A mixin of ``render.Renderer``."""
from .ids import make_id
from .relations import COMPANY, OWNER_PREFIX


def public(record):
    """Drop the generator's private keys (those starting with an underscore)."""
    return {k: v for k, v in record.items() if not k.startswith("_")}


class RelatedRendering:
    """Needs ``self.world``, ``self.url`` and ``self.static`` (from ``render.Renderer``)."""

    def owner_url(self, owner):
        """A teammate's or a team's URL; None for the company (the spec has no URL for it)
        and for no owner."""
        if owner is None or owner[0] == COMPANY:
            return None
        resource, prefix = OWNER_PREFIX[owner[0]]
        return self.url(resource, make_id(prefix, owner[1] + 1))

    def team(self, index):
        """``GET /teams/{id}``: the team with its inboxes and members (TeamResponse)."""
        world = self.world
        inboxes, teammates = self.static("inboxes"), self.static("teammates")
        return dict(self.static("teams")[index],
                    inboxes=[inboxes[i] for team, i in world.team_inboxes if team == index],
                    members=[teammates[t] for team, t in world.team_members if team == index])

    def note(self, contact_index, note):
        """A contact note (ContactNoteResponses): it has no id; ``created_at`` is unique
        within its contact."""
        author = self.static("teammates")[note["_author"]]
        return {"_links": {"related": {"author": author["_links"]["self"], "owner": None}},
                "author": author, "body": note["body"], "created_at": note["created_at"],
                "is_private": note["is_private"]}

    def notes(self, contact_index):
        return [self.note(contact_index, n) for n in self.world.contact_notes.get(contact_index, ())]

    # -- lists rendered once (``Renderer.static``) -------------------------------------------
    def _signatures(self, i, r):
        return dict(public(r), _links={"self": self.url("signatures", r["id"]),
                                       "related": {"owner": self.owner_url(r["_owner"])}})

    def _time_offs(self, i, r):
        teammate = self.world.teammates[r["_teammate"]]["id"]
        return dict(public(r), _links={"self": self.url("time_offs", r["id"]),
                                       "related": {"teammate": self.url("teammates", teammate)}})

    def _views(self, i, r):
        team = self.world.teams[r["_team"]]["id"]
        return dict(public(r), _links={"self": self.url("views", r["id"]),
                                       "related": {"owner": self.url("teams", team)}})

    def _knowledge_bases(self, i, r):
        base = self.url("knowledge_bases", r["id"])
        return dict(r, _links={"self": base, "related": {"articles": base + "/articles",
                                                         "categories": base + "/categories"}})

    def _knowledge_base_categories(self, i, r):
        world = self.world
        base = self.url("knowledge_base_categories", r["id"])
        parent = r["_parent"]
        return dict(public(r), _links={"self": base, "related": {
            "knowledge_base": self.url("knowledge_bases", world.knowledge_bases[r["_kb"]]["id"]),
            "parent_category": (self.url("knowledge_base_categories",
                                         world.knowledge_base_categories[parent]["id"])
                                if parent is not None else None),
            "articles": base + "/articles"}})

    def _knowledge_base_articles(self, i, r):
        world = self.world
        base = self.url("knowledge_base_articles", r["id"])
        category = r["_category"]
        return dict(public(r), _links={"self": base, "related": {
            "knowledge_base": self.url("knowledge_bases", world.knowledge_bases[r["_kb"]]["id"]),
            "category": (self.url("knowledge_base_categories",
                                  world.knowledge_base_categories[category]["id"])
                         if category is not None else None),
            "content": base + "/content"}})
