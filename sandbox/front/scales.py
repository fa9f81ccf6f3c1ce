"""How much data each scale generates. Counts of the generated streams (messages, comments and
events follow from the conversations) are documented in sandbox/README.md."""

DEFAULT_ANCHOR = "2026-10-01T00:00:00Z"

SCALES = {
    # Unit tests: small, yet multi-page where it matters (>100 contacts, >15 events,
    # a conversation with >100 messages).
    "tiny": {
        "days": 21, "teammates": 6, "teams": 2, "teammate_groups": 2, "inboxes": 3,
        "tags": 8, "contact_lists": 3, "accounts": 12, "contacts": 130, "conversations": 40,
        "long_conversations": 1, "long_messages": 120, "merged": 1, "links": 5, "rules": 4,
        "fields_per_resource": 2, "message_templates": 6, "message_template_folders": 2,
        "shifts": 2,
        "signatures": 4, "time_offs": 4, "views": 3, "knowledge_bases": 2,
        "knowledge_base_categories": 3, "knowledge_base_articles": 6, "contact_notes": 10,
    },
    # Acceptance tests: a few thousand records in all.
    "small": {
        "days": 42, "teammates": 15, "teams": 4, "teammate_groups": 3, "inboxes": 6,
        "tags": 30, "contact_lists": 8, "accounts": 150, "contacts": 1200, "conversations": 400,
        "long_conversations": 2, "long_messages": 150, "merged": 3, "links": 20, "rules": 10,
        "fields_per_resource": 3, "message_templates": 25, "message_template_folders": 5,
        "shifts": 4,
        "signatures": 10, "time_offs": 12, "views": 8, "knowledge_bases": 2,
        "knowledge_base_categories": 6, "knowledge_base_articles": 20, "contact_notes": 40,
    },
    # Benchmarks: tens of thousands.
    "medium": {
        "days": 90, "teammates": 40, "teams": 8, "teammate_groups": 5, "inboxes": 12,
        "tags": 80, "contact_lists": 20, "accounts": 1500, "contacts": 12000,
        "conversations": 5000, "long_conversations": 5, "long_messages": 250, "merged": 20,
        "links": 100, "rules": 25, "fields_per_resource": 4, "message_templates": 80,
        "message_template_folders": 10, "shifts": 6,
        "signatures": 30, "time_offs": 40, "views": 20, "knowledge_bases": 3,
        "knowledge_base_categories": 15, "knowledge_base_articles": 80, "contact_notes": 400,
    },
    # Memory benchmarks: hundreds of thousands of events and messages.
    "large": {
        "days": 180, "teammates": 100, "teams": 15, "teammate_groups": 8, "inboxes": 25,
        "tags": 150, "contact_lists": 40, "accounts": 3000, "contacts": 30000,
        "conversations": 40000, "long_conversations": 10, "long_messages": 400, "merged": 100,
        "links": 300, "rules": 40, "fields_per_resource": 5, "message_templates": 150,
        "message_template_folders": 15, "shifts": 8,
        "signatures": 60, "time_offs": 100, "views": 40, "knowledge_bases": 5,
        "knowledge_base_categories": 30, "knowledge_base_articles": 200, "contact_notes": 1000,
    },
}
