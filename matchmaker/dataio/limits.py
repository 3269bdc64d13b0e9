"""Input limits: how large, how long and how many, for everything people and files send.

One home for every bound. The data contract's field specs (``contract``) take
their lengths, counts and ranges from here, and so the importer, the supplier
editor and the request forms, which read those specs; the JSON Lines reader
takes the line size and nesting depth; the app its largest request body.
README.md's "Input limits" table is made from the specs and these numbers
(``limits_table``), and a test keeps the two the same.

The limits are the platform's, beyond the data contract (which bounds only a
few fields): each is far above anything real data needs, and low enough that
one record can neither fill the database nor keep a server thread busy.
"""

# Files and requests, in bytes.
LINE_BYTES = 1024 * 1024  # one JSON Lines record
REQUEST_BYTES = 1024 * 1024  # one web request (Flask's MAX_CONTENT_LENGTH); the largest valid form fits
DEPTH = 16  # lists and objects nested in one record; the contract needs 3, Python's parser fails near 1,000

# Text, in characters after surrounding spaces are stripped.
ID_CHARS = 100  # external_id, request_id, supplier_id
NAME_CHARS = 200  # a company's or a product's name
TITLE_CHARS = 300  # a request's title
DESCRIPTION_CHARS = 20_000  # a supplier's or a request's description
PRODUCT_DESCRIPTION_CHARS = 1_000
REGION_CHARS = 100
UNIT_CHARS = 20
HS_CODE_CHARS = 16  # the column's width
WEBSITE_CHARS = 300
EMAIL_CHARS = 254  # RFC 5321's longest address
PHONE_CHARS = 50
ITEM_CHARS = 200  # one capability or certification of a supplier
REQUIRED_CERTIFICATION_CHARS = 100  # one certification a request requires
MESSAGE_CHARS = 5_000  # a buyer's introduction message
NOTE_CHARS = 2_000  # a specialist's note on a match
QUERY_CHARS = 200  # a search (catalog page and /api/search): longer text is cut, not refused

# How many items a list may hold.
PRODUCTS = 50
CAPABILITIES = 50
CERTIFICATIONS = 30
REQUIRED_CERTIFICATIONS = 10

# Numbers (whole numbers are also stored in 32-bit columns).
QUANTITY_MAX = 1_000_000_000  # a product's minimum order, a request's quantity
LEAD_TIME_DAYS_MAX = 3650  # ten years
PRICE_USD_MAX = 1_000_000_000  # a unit price, indicative or targeted
EMPLOYEES_MAX = 10_000_000
FOUNDED_MIN = 1800  # and at most the current year
