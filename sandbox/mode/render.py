"""Internal records -> Mode's HAL+JSON objects, shaped like the captured live responses:
``_links`` of ``{"href"}`` (plus ``"templated": true`` where templated), ``_forms`` blocks and
numbers where the docs promise strings. Reports and what hangs off them, with the fields that
change on every request, are rendered by ``render_reports``."""
from . import forms
from .render_reports import ReportRendering
from .responses import links
from .runs import query_run_token
from .timefmt import iso_ms, iso_us


class Renderer(ReportRendering):
    def __init__(self, world, workspace, member_spaces=()):
        self.world = world
        self.workspace = workspace
        self.api = f"/api/{workspace}"
        self.member_spaces = set(member_spaces)

    # -- hrefs ------------------------------------------------------------------------------
    def space_href(self, token):
        return f"{self.api}/collections/{token}"

    def report_href(self, report):
        if report.kind == "Dataset":
            return f"{self.api}/datasets/{report.token}"
        return f"{self.api}/reports/{report.token}"

    def run_href(self, run):
        return f"{self.report_href(run.report)}/runs/{run.token}"

    def query_run_href(self, query_run):
        return f"{self.run_href(query_run.run)}/query_runs/{query_run.token}"

    def user_href(self, username):
        return f"/api/{username}"

    # -- workspace-level objects --------------------------------------------------------------
    def space(self, space):
        href = self.space_href(space.token)
        member = space.token in self.member_spaces
        membership = space.memberships[0].token if space.memberships else None
        return {
            "token": space.token, "id": space.id, "space_type": space.space_type,
            "name": space.name, "description": space.description, "state": space.state,
            "restricted": space.restricted, "free_default": space.free_default,
            "viewable?": space.space_type != "private" or member, "viewed?": space.viewed,
            "default_access_level": space.default_access_level,
            "_links": links(
                self=href, detail=href + "/detail",
                web=f"/{self.workspace}/spaces/{space.token}",
                reports=href + "/reports", creator=self.user_href(space.creator),
                user_space_membership=f"{href}/memberships/{membership}"
                if member and membership else None,
                space_memberships=href + "/memberships",
                preview_space_memberships=href + "/memberships/preview",
                search_space_permissions=href + "/permissions/search",
                viewed=href + "/viewed"),
            "_forms": forms.space_forms(self.api, space),
        }

    def data_source(self, source):
        href = f"{self.api}/data_sources/{source.token}"
        org = self.world.organization_token
        return {
            "id": source.id, "name": source.name, "description": source.description,
            "token": source.token, "adapter": source.adapter,
            "created_at": iso_ms(source.created_at), "updated_at": iso_ms(source.updated_at),
            "has_expensive_schema_updates": source.vendor in ("snowflake", "bigquery"),
            "public": False, "asleep": False, "queryable": True,
            "display_name": source.name, "account_id": self.world.account_id,
            "account_username": self.workspace, "organization_token": org,
            "default": source.is_default, "default_for_organization_id": org,
            "database": source.database, "host": source.host, "port": source.port,
            "ssl": True, "username": source.username, "provider": "default",
            "vendor": source.vendor, "ldap": False, "warehouse": source.warehouse,
            "bridged": False, "adapter_version": source.adapter_version,
            "custom_attributes": {"instance_name": ""}, "default_access_level": "View",
            "_links": links(
                self=href, account=self.api, permissions=href + "/permissions",
                web=f"/organizations/{self.workspace}/data_sources/{source.token}",
                web_home=f"/home/{self.workspace}/data_sources/{source.token}"),
            "_forms": forms.data_source_forms(self.api, source),
        }

    def definition(self, definition):
        href = f"{self.api}/definitions/{definition.token}"
        last_run = None
        if definition.last_run:
            report, run, index = definition.last_run
            query_run = query_run_token(self.world, run, report.queries[index])
            last_run = f"{self.run_href(run)}/query_runs/{query_run}"
        return {
            "id": definition.id, "token": definition.token, "name": definition.name,
            "description": definition.description, "source": definition.source,
            "data_source_id": definition.data_source.id,
            "created_at": iso_ms(definition.created_at),
            "updated_at": iso_ms(definition.updated_at), "last_successful_sync_at": None,
            "last_saved_at": iso_ms(definition.last_saved_at),
            "_links": links(self=href, last_run=last_run,
                            web_edit=f"/editor/{self.workspace}/definitions/{definition.token}",
                            creator=self.user_href(definition.creator)),
            "_forms": forms.definition_forms(self.api, definition),
        }

    def membership(self, user):
        href = f"{self.api}/memberships/{user.username}"
        web = f"/organizations/{self.workspace}/memberships/{user.username}"
        return {
            "admin": user.admin, "invited": user.invited, "state": user.state,
            "member_username": user.username, "member_token": user.token,
            "activated_at": iso_ms(user.activated_at), "managed_by_scim": user.managed_by_scim,
            "_links": links(
                self=href, web_self=web,
                web_self_unban=web + "/unban" if user.state == "banned" else None,
                web_self_approve=web + "/approve" if user.state == "pending" else None,
                organization=self.api, user=self.user_href(user.username),
                groups=href + "/groups"),
        }

    def membership_lite(self, user):
        return {"member_username": user.username, "member_token": user.token,
                "admin": user.admin, "state": user.state,
                "_links": links(self=f"{self.api}/memberships/{user.username}")}

    def group(self, group):
        href = f"{self.api}/groups/{group.token}"
        spaces = sum(1 for s in self.world.spaces
                     if any(m.member is group for m in s.memberships))
        return {
            "token": group.token, "group_type": group.group_type, "name": group.name,
            "description": group.description, "state": group.state,
            "member_count": len(group.memberships), "spaces_count": spaces,
            "data_sources_count": group.id % 3, "managed": group.managed,
            "_links": links(
                self=href, web=f"/organizations/{self.workspace}/groups/{group.token}",
                creator=self.user_href(group.creator), group_memberships=href + "/memberships",
                membership_by_id=(href + "/memberships{/id}", True),
                memberships_preview=href + "/memberships/preview"),
        }

    def group_membership(self, membership):
        href = f"{self.api}/groups/{membership.group.token}/memberships/{membership.token}"
        return {
            "token": membership.token, "member_token": membership.user.token,
            "_links": links(self=href, creator=self.user_href(membership.creator),
                            member=self.user_href(membership.user.username),
                            user_group=f"{self.api}/groups/{membership.group.token}"),
        }

    def space_membership(self, membership):
        member = membership.member
        is_user = membership.member_type == "User"
        return {
            "token": membership.token, "member_token": member.token,
            "member_type": membership.member_type, "member_id": member.id,
            "email": member.email if is_user else None,
            "_links": links(
                self=f"{self.space_href(membership.space.token)}/memberships/{membership.token}",
                member=self.user_href(member.username) if is_user
                else f"{self.api}/groups/{member.token}",
                creator=self.user_href(membership.creator)),
        }

    def audit_entry(self, entry):
        user, ip, agent = entry.actor
        return {
            "id": entry.id, "action": entry.action, "description": entry.description,
            "timestamp": iso_us(entry.timestamp_us), "workspace_username": self.workspace,
            "context": dict(entry.context),
            "actor": {"ip": ip, "user_agent": agent, "user_id": user.token,
                      "username": user.username},
            "entity": {"entity_name": entry.entity_name, "entity_type": entry.entity_type,
                       "entity_id": entry.entity_id},
        }

    # -- top-level documents --------------------------------------------------------------
    def verify(self):
        return {"workspace": self.workspace,
                "workspace_token": self.world.organization_token,
                "_links": links(self=self.api)}

    def account(self, user):
        """``/api/account`` for a member token: the member's own user document."""
        home = f"/api/{user.username}"
        return {
            "username": user.username, "name": user.name, "id": user.id, "token": user.token,
            "email": user.email, "dataset_size_limit_mb": 10, "query_run_size_limit_mb": 1000,
            "email_verified": True,
            "avatar": {"initials": "".join(p[0] for p in user.name.split())[:2].upper(),
                       "seed": user.token, "color_class": f"mode-avatar-color-{user.id % 10}",
                       "type": "initials"},
            "user": True, "data_source_count": 0, "organizations_count": 1,
            "created_at": iso_ms(user.created_at),
            "_links": links(self=home, web="/" + user.username, web_settings="/settings",
                            organizations=home + "/organizations",
                            spaces=self.api + "/collections",
                            space=(self.api + "/collections{/id}", True),
                            reports=home + "/reports",
                            report=(home + "/reports{/id}", True),
                            data_sources=home + "/data_sources",
                            definitions=self.api + "/definitions"),
        }

