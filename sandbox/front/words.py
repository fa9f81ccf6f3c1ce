"""Vocabulary for realistic generated text."""

FIRST_NAMES = (
    "Ada", "Alan", "Amara", "Bea", "Carlos", "Chen", "Dana", "Diego", "Elif", "Emma", "Farah",
    "Felix", "Grace", "Hana", "Hugo", "Ines", "Ivan", "Jade", "Jonas", "Kai", "Keiko", "Lena",
    "Liam", "Maya", "Mateo", "Nadia", "Noah", "Olga", "Omar", "Priya", "Quinn", "Rafael",
    "Rosa", "Sami", "Sofia", "Tariq", "Tess", "Uma", "Victor", "Wen", "Yara", "Zoe",
)
LAST_NAMES = (
    "Abbott", "Banerjee", "Costa", "Dubois", "Eriksen", "Fischer", "Garcia", "Haddad", "Ito",
    "Jensen", "Kowalski", "Larsen", "Moreau", "Nakamura", "Okafor", "Petrov", "Quispe", "Rossi",
    "Schmidt", "Tanaka", "Usman", "Varga", "Weber", "Xu", "Yilmaz", "Zhang",
)
COMPANY_WORDS = (
    "Acme", "Blue", "Cedar", "Delta", "Echo", "Falcon", "Granite", "Harbor", "Iris", "Juniper",
    "Kestrel", "Lumen", "Maple", "Nimbus", "Orbit", "Pine", "Quartz", "River", "Summit", "Tidal",
    "Umber", "Vertex", "Willow", "Zenith",
)
COMPANY_SUFFIXES = ("Labs", "Logistics", "Foods", "Health", "Systems", "Studio", "Partners")
DOMAINS = ("example.com", "example.org", "example.net")
INBOX_NAMES = (
    "Support", "Sales", "Billing", "Partnerships", "Returns", "Press", "Careers", "Security",
    "Onboarding", "VIP", "Wholesale", "Feedback",
)
TEAM_NAMES = (
    "Customer Success", "Sales", "Finance", "Operations", "Product", "Engineering", "Marketing",
    "Legal", "People", "Logistics", "Growth", "Support EMEA", "Support APAC", "Support AMER",
    "Enterprise",
)
TAG_WORDS = (
    "urgent", "refund", "bug", "feature-request", "invoice", "shipping", "vip", "churn-risk",
    "onboarding", "billing", "security", "feedback", "partnership", "press", "spam", "legal",
    "renewal", "upgrade", "downgrade", "outage",
)
HIGHLIGHTS = ("grey", "pink", "red", "orange", "yellow", "green", "light-blue", "blue", "purple")
SUBJECT_TOPICS = (
    "my order", "the invoice", "our contract", "the last delivery", "password reset",
    "account access", "a refund", "the new plan", "API limits", "a damaged item",
    "the webinar", "data export", "our renewal", "a missing package", "SSO setup",
)
SUBJECT_OPENERS = (
    "Question about", "Problem with", "Follow-up on", "Help with", "Feedback on",
    "Urgent: issue with", "Re:", "Update on",
)
SENTENCES = (
    "Thanks for getting back to me so quickly.",
    "Could you have a look at this when you get a chance?",
    "I have attached the details below.",
    "We noticed this started happening yesterday afternoon.",
    "Let me know if you need anything else from our side.",
    "I checked with the team and we can confirm the change.",
    "The tracking number does not seem to work.",
    "We would like to upgrade before the end of the month.",
    "Happy to jump on a call if that is easier.",
    "I have issued the refund; it should appear within five days.",
    "Our records show the payment went through on the 3rd.",
    "Could you confirm the billing address on file?",
)
SHIFT_COLORS = ("black", "grey", "pink", "purple", "blue", "teal", "green", "yellow", "orange",
                "red")
TIMEZONES = ("Europe/Paris", "America/New_York", "America/Los_Angeles", "Asia/Tokyo", "Etc/UTC")
LINK_TYPES = ("web", "jira", "asana", "github", "trello")
CHANNEL_TYPES = ("gmail", "office365", "imap", "smtp", "front_chat", "twilio", "custom")
CUSTOM_FIELD_TYPES = ("string", "boolean", "datetime", "number", "teammate", "inbox", "enum")
STATUSES = (
    ("Open", "open"), ("Waiting on customer", "waiting"), ("Resolved", "resolved"),
    ("Escalated", "open"),
)
