"""Words the generator draws names and SQL from, so the data reads like a real workspace."""

FIRST_NAMES = ("ada", "ben", "chloe", "dev", "elena", "farid", "grace", "hiro", "ines", "jonas",
               "kemi", "liam", "maya", "nils", "olga", "priya", "quinn", "rosa", "sam", "tariq",
               "uma", "viktor", "wen", "ximena", "yusuf", "zoe")
LAST_NAMES = ("ahmed", "baker", "costa", "diaz", "eriksen", "fischer", "garcia", "hughes",
              "ito", "jensen", "kowalski", "lopez", "moreau", "nakamura", "okafor", "park",
              "quaid", "rossi", "singh", "tanaka", "ueda", "varga", "weber", "xu", "young",
              "zhang")

SPACE_NAMES = ("Finance", "Growth", "Product Analytics", "Customer Success", "Marketing",
               "Operations", "Sales", "Data Platform", "Executive", "Support", "Supply Chain",
               "People", "Risk", "Partnerships", "Pricing", "Experimentation")

REPORT_SUBJECTS = ("Revenue", "Churn", "Signups", "Retention", "Orders", "Refunds",
                   "Active Users", "Pipeline", "Tickets", "Inventory", "Conversion", "NPS",
                   "Latency", "Payments", "Sessions", "Cohorts")
REPORT_CUTS = ("by Week", "by Region", "by Plan", "Daily", "Monthly", "Trend", "Overview",
               "Deep Dive", "by Channel", "YoY", "Forecast", "Health Check")

GROUP_NAMES = ("Analysts", "Engineering", "Finance Team", "Leadership", "Marketing Ops",
               "Support Leads", "Sales Ops", "Data Science", "Contractors", "Product")

# table -> [(column, type)]; types drive both result rows and chart field formats.
TABLES = {
    "orders": [("order_id", "integer"), ("customer_id", "integer"), ("status", "string"),
               ("amount", "float"), ("ordered_at", "timestamp")],
    "customers": [("customer_id", "integer"), ("first_name", "string"),
                  ("last_name", "string"), ("country", "string"),
                  ("signed_up_at", "timestamp")],
    "payments": [("payment_id", "integer"), ("customer_id", "integer"), ("amount", "float"),
                 ("method", "string"), ("payment_date", "timestamp")],
    "sessions": [("session_id", "string"), ("user_id", "integer"), ("device", "string"),
                 ("duration_s", "integer"), ("started_at", "timestamp")],
    "tickets": [("ticket_id", "integer"), ("priority", "string"), ("is_open", "boolean"),
                ("agent", "string"), ("opened_at", "timestamp")],
    "inventory": [("sku", "string"), ("warehouse", "string"), ("on_hand", "integer"),
                  ("unit_cost", "float"), ("counted_at", "timestamp")],
}

STRING_VALUES = ("north", "south", "east", "west", "card", "wire", "paypal", "open", "closed",
                 "pending", "mobile", "desktop", "tablet", "gold", "silver", "basic", "DE", "US",
                 "JP", "BR", "IN", "FR")

# (vendor, adapter, port, adapter_version)
VENDORS = (("postgresql", "jdbc:postgresql", 5432, "42.2.23"),
           ("snowflake", "jdbc:snowflake", 443, "3.13.30"),
           ("redshift", "jdbc:redshift", 5439, "2.1.0.9"),
           ("bigquery", "jdbc:bigquery", 443, "1.2.25"),
           ("mysql", "jdbc:mysql", 3306, "8.0.33"))

CHART_TYPES = ("table", "bar", "line", "area", "pie", "bigValue", "scatter")

# (action, description, entity_type)
AUDIT_ACTIONS = (
    ("member_added", "member added to workspace", "workspace_membership"),
    ("member_removed", "member removed from workspace", "workspace_membership"),
    ("group_created", "group created", "group"),
    ("group_member_added", "member added to group", "group"),
    ("collection_created", "collection created", "collection"),
    ("collection_access_changed", "collection access level changed", "collection"),
    ("connection_created", "connection created", "workspace_connection"),
    ("connection_group_added_with_role", "group added to connection", "workspace_connection"),
    ("report_shared", "report shared", "report"),
    ("api_token_created", "API token created", "api_token"),
)

USER_AGENTS = (
    ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/128.0.0.0 Safari/537.36"),
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:131.0) Gecko/20100101 Firefox/131.0",
    "python-requests/2.32.3",
)
