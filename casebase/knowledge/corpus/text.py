"""Words for the synthetic corpus (corpus.py): names, themes and sentence templates.

Everything here is invented. Host names end in `.example` (RFC 2606), so no generated link can
point at a real site, and authority and company names are made from parts that name no one.
Sentences avoid Markdown's special characters, so a body's plain text is known without rendering it.
"""

# (code, name, currency, weight): where generated cases are brought. Weights follow the seed data:
# mostly the US federal level and EU data-protection authorities.
JURISDICTIONS = [
    ("US", "United States", "USD", 30),
    ("US-CA", "California", "USD", 5),
    ("US-IL", "Illinois", "USD", 6),
    ("US-TX", "Texas", "USD", 3),
    ("US-NY", "New York", "USD", 3),
    ("EU", "European Union", "EUR", 2),
    ("FR", "France", "EUR", 6),
    ("DE", "Germany", "EUR", 4),
    ("IT", "Italy", "EUR", 6),
    ("NL", "Netherlands", "EUR", 3),
    ("IE", "Ireland", "EUR", 4),
    ("GR", "Greece", "EUR", 1),
    ("SE", "Sweden", "SEK", 1),
    ("GB", "United Kingdom", "GBP", 6),
    ("KR", "South Korea", "KRW", 3),
    ("BR", "Brazil", "BRL", 2),
    ("CA", "Canada", "CAD", 3),
    ("AU", "Australia", "AUD", 3),
]

# Roughly what one unit was worth in US dollars around 2020; daily synthetic rates wander around these.
USD_PER_UNIT = {
    "EUR": 1.12,
    "GBP": 1.28,
    "SEK": 0.105,
    "KRW": 0.00082,
    "BRL": 0.21,
    "CAD": 0.75,
    "AUD": 0.70,
}

# Authority names by kind: "{region}" is the jurisdiction's name.
AUTHORITY_NAMES = {
    "regulator": [
        "{region} Consumer Protection Commission",
        "{region} Trade Practices Authority",
        "{region} Digital Markets Board",
        "{region} Competition and Consumer Agency",
    ],
    "dpa": [
        "{region} Data Protection Authority",
        "{region} Information Commissioner",
        "{region} Commission for Privacy and Data",
        "{region} Personal Information Board",
    ],
    "court": [
        "{region} District Court, {division} Division",
        "{region} Court of Appeal",
        "{region} High Court, {division} Division",
        "{region} Administrative Tribunal",
    ],
    "attorney_general": [
        "Attorney General of {region}",
        "{region} Public Prosecutor for Consumer Affairs",
    ],
}
DIVISIONS = ["Northern", "Southern", "Eastern", "Western", "Central", "Coastal", "Metropolitan"]

COMPANY_STARTS = [
    "Bright", "Clear", "Deep", "Vox", "Lumen", "Pixel", "Nimbus", "Quanta", "Vera", "Aether",
    "Cogni", "Echo", "Ever", "Insight", "Kairo", "Lattice", "Meridian", "Nova", "Orbit", "Parallax",
    "Sable", "Tessel", "Umbra", "Vanta", "Wren", "Zephyr", "Atlas", "Beacon", "Cinder", "Delta",
    "Ember", "Fathom", "Glimmer", "Harbor", "Iris", "Juniper", "Keystone", "Lyric", "Mosaic", "North",
    "Onyx", "Prism", "Quill", "Rook", "Solace", "Tandem", "Uplift", "Verdant", "Willow", "Yonder",
    "Aspen", "Bramble", "Copper", "Drift", "Falcon", "Granite", "Hollow", "Indigo", "Jasper", "Kestrel",
]  # fmt: skip
COMPANY_ENDS = [
    "view", "lens", "voice", "mind", "sight", "data", "scan", "face", "graph", "signal",
    "pulse", "logic", "works", "loop", "wave", "path", "forge", "mark", "byte", "frame",
    "sense", "print", "cast", "vault", "field", "stream", "light", "point", "gate", "core",
]  # fmt: skip
COMPANY_KINDS = [
    "", " Labs", " AI", " Analytics", " Technologies", " Systems", " Media", " Health", " Networks",
    " Software", " Robotics", " Interactive",
]  # fmt: skip
COMPANY_VARIANTS = ["", " International", " Group", " Europe", " America"]
HOLDING_KINDS = [" Holdings", " Capital", " Ventures", " Partners"]
LEGAL_FORMS = {
    "US": "Inc.",
    "GB": "Ltd",
    "DE": "GmbH",
    "FR": "SAS",
    "IT": "S.r.l.",
    "NL": "B.V.",
    "IE": "Limited",
    "SE": "AB",
    "KR": "Co., Ltd.",
    "BR": "Ltda.",
    "CA": "Inc.",
    "AU": "Pty Ltd",
    "GR": "S.A.",
}

SURNAMES = [
    "Alvarez", "Brennan", "Chen", "Dubois", "Eriksen", "Fischer", "Garcia", "Hughes", "Ito", "Jansen",
    "Kowalski", "Lindqvist", "Moreau", "Novak", "Okafor", "Park", "Quinn", "Rossi", "Silva", "Tanaka",
    "Umar", "Varga", "Weber", "Young", "Zhang",
]  # fmt: skip

NEWS_OUTLETS = [
    ("The Data Ledger", "dataledger"),
    ("Privacy Wire", "privacywire"),
    ("Tech Policy Daily", "techpolicydaily"),
    ("The Algorithm Review", "algorithmreview"),
    ("Consumer Law Weekly", "consumerlawweekly"),
    ("Digital Rights Monitor", "digitalrightsmonitor"),
]

# One theme per kind of data: what was collected, from whom, what people were told and what it was used for.
THEMES = [
    {
        "modality": "face_images",
        "data": "face images",
        "unit": "photos",
        "product": "a photo-storage app",
        "people": "users of its photo-storage app",
        "model": "face-recognition model",
        "told": "Users were told their photos would stay private and be deleted when they closed their accounts.",
        "used": "The photos were used to train a face-recognition system sold to retailers and police.",
        "weight": 14,
    },
    {
        "modality": "voice",
        "data": "voice recordings",
        "unit": "recordings",
        "product": "a voice assistant",
        "people": "people who spoke to its voice assistant",
        "model": "voice cloning model",
        "told": "Users were told recordings were kept only to answer their requests.",
        "used": "The recordings trained a voice cloning model offered to advertisers.",
        "weight": 8,
    },
    {
        "modality": "text",
        "data": "forum posts",
        "unit": "posts",
        "product": "an online discussion forum",
        "people": "members of its discussion forum",
        "model": "large language model",
        "told": "Members were told their posts were licensed for display on the forum only.",
        "used": "The posts were scraped and used to train a large language model sold as a chatbot.",
        "weight": 9,
    },
    {
        "modality": "books",
        "data": "books",
        "unit": "books",
        "product": "a digital library",
        "people": "authors whose books were copied from a shadow library",
        "model": "text generation model",
        "told": "The authors never licensed their books for machine learning.",
        "used": "The books were copied in bulk to train a text generation model.",
        "weight": 4,
    },
    {
        "modality": "images",
        "data": "artwork images",
        "unit": "images",
        "product": "an image-hosting site",
        "people": "artists who posted work on image-hosting sites",
        "model": "image generation model",
        "told": "The artists kept copyright in their images and allowed only viewing.",
        "used": "The images trained an image generation model that imitates named artists.",
        "weight": 7,
    },
    {
        "modality": "location",
        "data": "precise location data",
        "unit": "devices",
        "product": "a weather app",
        "people": "users of its weather app",
        "model": "audience segmentation model",
        "told": "Users were told location was used only for local forecasts.",
        "used": "The location data was sold to brokers and used to build audience segments.",
        "weight": 8,
    },
    {
        "modality": "health",
        "data": "health records",
        "unit": "patients",
        "product": "a fitness tracker",
        "people": "wearers of its fitness tracker",
        "model": "health risk scoring model",
        "told": "Users were promised their health data would never be shared.",
        "used": "The data trained a risk scoring model licensed to insurers.",
        "weight": 6,
    },
    {
        "modality": "biometric",
        "data": "fingerprint templates",
        "unit": "workers",
        "product": "a workplace time clock",
        "people": "employees who clocked in with their fingerprints",
        "model": "identity matching algorithm",
        "told": "Workers signed no written release for their biometric data.",
        "used": "The templates were kept indefinitely and used to tune an identity matching algorithm.",
        "weight": 7,
    },
    {
        "modality": "browsing",
        "data": "browsing histories",
        "unit": "users",
        "product": "a browser extension",
        "people": "users of its free browser extension",
        "model": "ad targeting model",
        "told": "Users were told the extension collected no personal data.",
        "used": "The histories were sold and used to train an ad targeting model.",
        "weight": 6,
    },
    {
        "modality": "video",
        "data": "video clips",
        "unit": "clips",
        "product": "a video chat app",
        "people": "users of its video chat app",
        "model": "emotion detection model",
        "told": "Users were told calls were encrypted and never stored.",
        "used": "Clips of calls were kept and used to train an emotion detection model.",
        "weight": 4,
    },
    {
        "modality": "messages",
        "data": "private messages",
        "unit": "messages",
        "product": "a messaging app",
        "people": "users of its messaging app",
        "model": "chatbot model",
        "told": "Users were told their conversations were private.",
        "used": "The messages trained a chatbot that later repeated personal details.",
        "weight": 5,
    },
    {
        "modality": "profile",
        "data": "profile photos and answers",
        "unit": "profiles",
        "product": "a dating app",
        "people": "members of its dating app",
        "model": "recommendation model",
        "told": "Members were told their profiles were shown only to other members.",
        "used": "The profiles were shared with a vendor to train a recommendation model.",
        "weight": 6,
    },
]

# What each remedy type requires, as a list row would say it.
REMEDY_SUMMARIES = {
    "model-deletion": "Delete every {model} and algorithm developed with the {data}, and certify the deletion.",
    "data-deletion": "Delete the {data} collected from {people} and any copies held by vendors.",
    "processing-ban": "Stop processing the {data} of people in {region} until the findings are remedied.",
    "civil-penalty": "Pay a civil penalty for the unlawful collection and use of {data}.",
    "consumer-redress": "Pay money into a fund for refunds to {people}.",
    "conduct-ban": "Do not collect or use {data} for training without express consent.",
    "consent-requirement": "Obtain express consent before using {data} to train any model.",
    "notice-to-consumers": "Notify affected {people} of the order and of how to delete their data.",
    "compliance-program": "Run a privacy program with yearly independent assessments.",
    "reporting-audit": "Report compliance to the authority and keep records for ten years.",
    "product-withdrawal": "Withdraw the {product} from the market in {region}.",
    "data-preservation": "Preserve the {data} and training logs while the case is pending.",
    "injunction": "Do not use the {data} in any model while the case is pending.",
}
QUOTED = {
    "model-deletion": '"delete or destroy all models, algorithms and other work product developed in whole or in '
    'part using the Affected Data"',
    "data-deletion": '"delete or destroy all Covered Information collected without affirmative express consent"',
    "conduct-ban": '"shall not use any facial or voice recognition technology for a period of five years"',
}
# Relative frequencies in the seed data (conduct bans and deletions common, model deletion rarer).
REMEDY_WEIGHTS = {
    "conduct-ban": 19,
    "data-deletion": 15,
    "consumer-redress": 12,
    "civil-penalty": 11,
    "processing-ban": 9,
    "notice-to-consumers": 8,
    "model-deletion": 6,
    "consent-requirement": 6,
    "compliance-program": 5,
    "reporting-audit": 4,
    "injunction": 3,
    "product-withdrawal": 2,
    "data-preservation": 1,
}
MONEY = {"civil-penalty", "consumer-redress"}

OPENINGS = [
    "{company} ran {product} used by about {count} people.",
    "{company} built {product} and marketed it across {region}.",
    "From {start_year}, {company} offered {product} with a free tier and a paid subscription.",
]
CONDUCT = [
    "The {authority} found that it collected {data} from {people} without a lawful basis.",
    "According to the complaint, the company kept {data} after users deleted their accounts.",
    "Internal documents showed that the {data} were copied to a research cluster in {start_year}.",
    "Its privacy policy said nothing about training models, and the settings screen hid the option.",
    "Former employees described a data pipeline that tagged {data} for a {model} without review.",
    "The company told investors that its {model} was built on proprietary data it had licensed.",
]
FINDINGS = [
    "The {authority} concluded that the practice was deceptive and unfair to consumers.",
    "The decision rejected the argument that the data had been made public by the people in it.",
    "The order treats the {model} as the fruit of the unlawful collection, not as a separate asset.",
    "The company neither admitted nor denied the allegations but agreed to the order.",
    "Commentators saw the case as a step in the line of algorithmic disgorgement orders.",
    "The ruling left open whether models trained by customers on the same data must also be deleted.",
]
OUTCOMES = [
    "The order requires the company to delete the {data} and any {model} trained on them within 90 days.",
    "The company must certify deletion in a sworn statement and report to the {authority} for ten years.",
    "Besides the money remedy, the company must obtain express consent before any new collection.",
    "Vendors that received the data must be told to delete it as well.",
]
QUESTIONS = [
    "Whether the vendors that received the data have deleted their copies.",
    "The size of the dataset is given only as an estimate in the sources.",
    "Whether the deletion reached backups and models trained by customers.",
    "The date the order became final is not confirmed by a primary document.",
]
SIGNIFICANCE = [
    "An early order to delete a {model} built on {data}.",
    "The first decision in {region} to treat training on {data} as a separate purpose.",
    "Extended deletion orders to data held by vendors.",
    "A large penalty for training on {data} without consent.",
]
GUIDANCE_TOPICS = ["training models on personal data", "web scraping for AI", "biometric data in the workplace"]
