"""Independent phrase pools for the scenario generator: people, companies, offers and the parts of each message.

Every pitch or follow-up is composed from several pools drawn independently (greeting × opener × value
proposition × proof × call to action × sign-off × signature × P.S.), so wording varies combinatorially the
way real outreach does. The pools were written from general knowledge of sales outreach, not from the
gateway's detection rules: they must stay independent of gateway/signals, or the scenario figures would
only measure how well the rules match their own author's phrasing.

Placeholders are `str.format` fields filled from a per-message context (see generate.py); a template may
use only the keys that generate.py documents for that pool.
"""

from __future__ import annotations

from typing import Final

# -- people and organisations -----------------------------------------------------------------------------
FIRST_NAMES: Final = [
    "Aarav", "Abigail", "Adebayo", "Aisha", "Alejandro", "Amara", "Anders", "Anika", "Arjun", "Beatriz",
    "Bogdan", "Bruno", "Camille", "Carlos", "Chen", "Chloe", "Daniel", "Dmytro", "Elena", "Emeka",
    "Emily", "Farah", "Felix", "Fatima", "Gabriel", "Giulia", "Hannah", "Hiroshi", "Ibrahim", "Ines",
    "Isaac", "Jakub", "James", "Jasmine", "Javier", "Jin", "Jonas", "Julia", "Kamal", "Karina",
    "Kevin", "Kofi", "Lars", "Laura", "Leila", "Lucas", "Maja", "Marcus", "Maria", "Mateo",
    "Mei", "Michael", "Mohammed", "Nadia", "Natalia", "Nikhil", "Noah", "Olga", "Omar", "Oscar",
    "Pavel", "Priya", "Rafael", "Rahul", "Rebecca", "Ricardo", "Rohan", "Ryan", "Sakura", "Samuel",
    "Sara", "Sebastian", "Shreya", "Sofia", "Stefan", "Tariq", "Thomas", "Valentina", "Victor", "Wei",
    "Yara", "Yusuf", "Zainab", "Zoe", "Tyler", "Brandon", "Ashley", "Megan", "Connor", "Kayla",
]  # fmt: skip
LAST_NAMES: Final = [
    "Adeyemi", "Andersson", "Bauer", "Bianchi", "Brennan", "Castillo", "Chowdhury", "Costa", "Dubois",
    "Eriksen", "Fernandes", "Fischer", "Garcia", "Gupta", "Haddad", "Hansen", "Hoffmann", "Ivanova",
    "Jensen", "Kaur", "Kim", "Kowalski", "Kumar", "Larsen", "Lee", "Lopez", "Mahmoud", "Malik",
    "Martins", "Mendes", "Morales", "Murphy", "Nakamura", "Novak", "Okafor", "Olsen", "Patel", "Petrov",
    "Pham", "Quinn", "Reddy", "Rossi", "Santos", "Schmidt", "Shah", "Silva", "Singh", "Sokolov",
    "Tanaka", "Taylor", "Thompson", "Torres", "Tran", "Van Dijk", "Wagner", "Walsh", "Wang", "Weber",
    "Williams", "Wong", "Yilmaz", "Zhang", "Zielinski", "O'Neill", "Mensah", "Horvat", "Kovacs", "Ahmed",
]  # fmt: skip
COMPANY_HEADS: Final = [
    "Apex", "Arrow", "Aurora", "Beacon", "Bright", "Cedar", "Cobalt", "Crest", "Delta", "Ember",
    "Evergreen", "Falcon", "Forge", "Granite", "Harbor", "Helix", "Horizon", "Ion", "Juniper", "Keystone",
    "Kinetic", "Lumen", "Maple", "Meridian", "Nimbus", "North", "Nova", "Onyx", "Orbit", "Peak",
    "Pine", "Pivot", "Prism", "Quanta", "Quill", "Radiant", "Ridge", "Sable", "Signal", "Silver",
    "Sky", "Spark", "Summit", "Tandem", "Terra", "Tidal", "Vantage", "Vector", "Verde", "Zenith",
]  # fmt: skip
COMPANY_TAILS: Final = [
    "Labs", "Digital", "Solutions", "Growth", "Partners", "Tech", "Media", "Works", "Systems", "Group",
    "Consulting", "Software", "Soft", "Data", "Cloud", "Studio", "Ventures", "Logic", "Dynamics", "Hub",
]  # fmt: skip
COMPANY_TLDS: Final = ["com", "com", "com", "io", "co", "agency", "dev", "co.uk", "in", "pl", "net", "ai"]
FREEMAIL: Final = [
    "gmail.com", "gmail.com", "gmail.com", "outlook.com", "yahoo.com", "hotmail.com", "proton.me",
    "icloud.com", "aol.com", "gmx.com", "zoho.com", "mail.com",
]  # fmt: skip
SELLER_TITLES: Final = [
    "Business Development Manager", "Account Executive", "Founder & CEO", "Growth Partner",
    "Sales Development Representative", "Head of Partnerships", "Client Success Lead", "Co-founder",
    "Senior Account Manager", "Director of Sales", "Partnerships Manager", "BDR", "Managing Director",
    "VP Business Development", "Customer Acquisition Specialist", "Regional Sales Lead",
]  # fmt: skip
HEADLINE_EXTRAS: Final = [
    "Helping B2B teams grow 🚀", "I help SaaS founders scale", "Driving growth for tech companies",
    "Let's connect!", "Building partnerships that matter", "Open to new opportunities", "",
    "Speaker | Advisor | Mentor", "Revenue Architect", "Turning conversations into pipeline",
]  # fmt: skip
COUNTRIES: Final = ["Poland", "Ukraine", "India", "Vietnam", "Argentina", "Colombia", "Romania", "Pakistan"]
EVENTS: Final = ["SaaStr Annual", "Web Summit", "DataEngConf", "CES", "Dreamforce", "RSA Conference"]
REGIONS: Final = ["North America", "Europe", "the DACH region", "the UK", "the Bay Area", "the Nordics"]
WEEKDAYS: Final = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
TOPIC_HOOKS: Final = [
    "scaling data teams", "remote engineering culture", "your Series B", "on-call burnout",
    "migrating to the cloud", "hiring in a tight market", "your product launch", "AI in analytics",
]  # fmt: skip
LAUNCHES: Final = ["a new dashboard product", "an EU region", "a partner programme", "a public API"]

# -- the offers being pitched -----------------------------------------------------------------------------
# Keys: topic (short noun phrase), offer (what is sold), benefit (verb phrase after "help X"), pain
# (noun phrase), values (templates), results (verb phrases in the past tense, after a client name).
OFFERS: Final[list[dict[str, object]]] = [
    {
        "key": "lead_generation",
        "topic": "lead generation",
        "offer": "appointment-setting service",
        "benefit": "fill their sales calendars with qualified demos",
        "pain": "an empty pipeline heading into the new quarter",
        "values": [
            "We run done-for-you outbound for B2B teams and guarantee at least {n} qualified meetings a month, or you don't pay.",
            "Our SDR team books sales meetings with decision-makers in your ICP, so your reps only have to show up and close.",
            "We combine verified data, personalised copy and multichannel sequences to put {n}+ demos on your calendar every month.",
            "We can take prospecting completely off your team's plate, from list building all the way to booked meetings.",
        ],
        "results": [
            "booked {n} qualified meetings in the first 30 days",
            "added ${k}k in pipeline in a single quarter",
            "tripled their demo rate in eight weeks",
        ],
    },
    {
        "key": "offshore_developers",
        "topic": "offshore development",
        "offer": "dedicated development teams",
        "benefit": "scale engineering without the hiring headache",
        "pain": "senior engineering hires taking months to close",
        "values": [
            "We provide vetted senior developers from {country} at a fraction of local cost, ready to start within two weeks.",
            "Our dedicated React, Python and .NET engineers join your sprints directly and work in your time zone.",
            "We've placed over {n}0 engineers with SaaS companies, and they typically cost 40-60% less than in-house hires.",
            "We can spin up a fully managed squad (developers, QA and a delivery lead) for your roadmap in under a month.",
        ],
        "results": [
            "shipped their mobile app three months ahead of schedule",
            "cut engineering costs by 45% while doubling velocity",
            "scaled from 3 to 20 engineers in one quarter",
        ],
    },
    {
        "key": "seo",
        "topic": "SEO",
        "offer": "SEO services",
        "benefit": "rank on the first page of Google",
        "pain": "organic traffic slipping to competitors",
        "values": [
            "I ran a quick audit of {bcompany}'s website and found {n} technical SEO issues that are holding back your rankings.",
            "We help companies like yours rank on page one for high-intent keywords and turn that traffic into leads.",
            "Our white-hat link building and content strategy usually doubles organic traffic within six months.",
            "Your site isn't ranking for several keywords your competitors own, and that's very fixable.",
        ],
        "results": [
            "went from page 4 to the top 3 for their main keyword",
            "grew organic traffic by {n}0% in six months",
            "doubled inbound leads from search",
        ],
    },
    {
        "key": "toner",
        "topic": "printer supplies",
        "offer": "toner and printer supplies",
        "benefit": "cut their printing costs",
        "pain": "overpaying for ink and toner",
        "values": [
            "We supply compatible and OEM toner cartridges for all major brands at up to 70% off retail, with next-day delivery.",
            "Are you still paying full price for HP and Brother toner? We can match your current cartridges for far less.",
            "We're offering new business customers a free starter pack of toner for their office printers.",
            "Our managed print programme watches your devices and ships supplies before you run out.",
        ],
        "results": [
            "saved over ${k},000 a year on printing",
            "cut their toner spend by 62%",
            "never ran out of toner again",
        ],
    },
    {
        "key": "web_design",
        "topic": "your website",
        "offer": "website redesign",
        "benefit": "turn their websites into lead machines",
        "pain": "a website that doesn't convert",
        "values": [
            "I noticed a few things on {bcompany}'s homepage that are probably costing you conversions: slow load times and a weak call to action.",
            "We design and build fast, modern websites for SaaS companies, usually in four to six weeks.",
            "Our team can rebuild your site on Webflow so marketing can update it without waiting on developers.",
            "I sketched a couple of ideas for a refreshed {bcompany} landing page and would love to share them.",
        ],
        "results": [
            "lifted their conversion rate by {n}% after the relaunch",
            "cut page load time from 6 seconds to under 1",
            "doubled demo requests from their site",
        ],
    },
    {
        "key": "app_development",
        "topic": "app development",
        "offer": "mobile app development",
        "benefit": "launch mobile apps without building an in-house team",
        "pain": "a mobile roadmap stuck behind backend work",
        "values": [
            "We build iOS and Android apps for startups and enterprises, from MVP to App Store launch.",
            "If {bcompany} has a mobile app on the roadmap, we can deliver a production-ready MVP in 10 weeks for a fixed price.",
            "Our Flutter team has launched {n}+ apps with a 4.8 average store rating.",
        ],
        "results": [
            "launched on both stores in nine weeks",
            "reached {n},000 downloads in the first month",
            "replaced two agencies with one team",
        ],
    },
    {
        "key": "bookkeeping",
        "topic": "bookkeeping",
        "offer": "outsourced bookkeeping and accounting",
        "benefit": "close their books faster",
        "pain": "month-end close dragging on for weeks",
        "values": [
            "We handle bookkeeping, payroll and month-end close for growing tech companies so your finance team can focus on strategy.",
            "Our accountants can take over your books for a flat monthly fee, with reports delivered by the 5th of every month.",
            "Most startups we talk to are overpaying for accounting; we typically save clients 30% and speed up the close.",
        ],
        "results": [
            "closed their books in 5 days instead of 20",
            "saved ${k},000 in the first year",
            "passed their first audit with zero findings",
        ],
    },
    {
        "key": "recruiting",
        "topic": "tech recruiting",
        "offer": "recruitment services",
        "benefit": "hire senior engineers faster",
        "pain": "open roles sitting unfilled for months",
        "values": [
            "I noticed {bcompany} has several open engineering roles; we specialise in senior engineers and have candidates available now.",
            "We have three pre-vetted senior backend engineers on the market this week who'd be a strong fit for your team.",
            "Our contingency model means you only pay when you hire, and our average time-to-fill is 21 days.",
        ],
        "results": [
            "hired {n} engineers in one quarter",
            "filled a Staff Engineer role in 18 days",
            "cut their time-to-hire in half",
        ],
    },
    {
        "key": "cloud_costs",
        "topic": "cloud costs",
        "offer": "cloud cost optimisation",
        "benefit": "cut their cloud bills",
        "pain": "an AWS bill that grows faster than revenue",
        "values": [
            "Most companies on AWS overspend by 30% or more, and we find those savings in a free two-week assessment.",
            "We help engineering teams cut their AWS and GCP bills without changing a line of code.",
            "Our platform analyses your cloud usage and buys reserved capacity automatically, usually saving 25-40%.",
        ],
        "results": [
            "cut their AWS bill by ${k}k a month",
            "saved 38% on compute in six weeks",
            "found ${k}0k of idle resources in their first scan",
        ],
    },
    {
        "key": "security_compliance",
        "topic": "SOC 2",
        "offer": "penetration testing and SOC 2 readiness",
        "benefit": "win enterprise deals that need SOC 2",
        "pain": "security questionnaires stalling enterprise deals",
        "values": [
            "With enterprise customers asking for SOC 2, we can get {bcompany} audit-ready in as little as eight weeks.",
            "We offer penetration testing for web apps and APIs, with a full report and a free retest included.",
            "Our virtual CISO service gives you a senior security leader for a fraction of the cost of a full-time hire.",
        ],
        "results": [
            "got SOC 2 Type I in seven weeks",
            "closed a six-figure enterprise deal after their audit",
            "fixed {n} critical findings before launch",
        ],
    },
    {
        "key": "video",
        "topic": "video content",
        "offer": "explainer video production",
        "benefit": "explain their product in 60 seconds",
        "pain": "prospects not getting the product from the homepage",
        "values": [
            "We create animated explainer videos that help SaaS companies explain their product in about a minute.",
            "I watched the demo on {bcompany}'s site and think a short product video could lift conversions noticeably.",
            "We produce customer testimonial videos end to end: scripting, filming and editing, for a fixed fee.",
        ],
        "results": [
            "saw a {n}% lift in sign-ups after adding the video",
            "used one video across ads, sales and onboarding",
            "cut their sales cycle by two weeks",
        ],
    },
    {
        "key": "pr_podcasts",
        "topic": "PR and podcast placements",
        "offer": "PR and podcast booking",
        "benefit": "get featured in the press and on top podcasts",
        "pain": "great products nobody has heard of",
        "values": [
            "We book founders and executives as guests on top industry podcasts, with {n} placements guaranteed in 90 days.",
            "Our PR team can get {bcompany} featured in outlets like TechCrunch, Forbes and VentureBeat.",
            "We'd love to position you as a thought leader in {industry} through podcasts, bylines and speaking slots.",
        ],
        "results": [
            "landed {n} podcast interviews in one quarter",
            "got a Forbes feature within six weeks",
            "doubled their inbound leads through earned media",
        ],
    },
    {
        "key": "data_lists",
        "topic": "contact data",
        "offer": "B2B contact lists",
        "benefit": "reach decision-makers directly",
        "pain": "bounced emails and outdated CRM data",
        "values": [
            "We have a verified list of {n},000 decision-makers in {industry}, with direct dials and emails, ready to download.",
            "Would you be interested in the attendee list of {event}? It includes {n},000 verified contacts.",
            "Our database covers 200M+ contacts with 95% email accuracy, refreshed every month.",
        ],
        "results": [
            "cut their bounce rate to under 2%",
            "booked {n} meetings from one list",
            "enriched their whole CRM in a weekend",
        ],
    },
    {
        "key": "managed_it",
        "topic": "IT support",
        "offer": "managed IT services",
        "benefit": "stop worrying about IT",
        "pain": "engineers losing hours to laptop and access issues",
        "values": [
            "We provide 24/7 helpdesk, device management and cybersecurity for companies of 20 to 500 employees.",
            "Is your IT support keeping up with your growth? We take care of laptops, onboarding and security for a flat fee per user.",
            "We can take over onboarding, offboarding and device security so your engineers never touch IT tickets again.",
        ],
        "results": [
            "onboarded {n} new hires without a single ticket",
            "passed their ISO audit with our device policies",
            "cut IT costs by 30%",
        ],
    },
    {
        "key": "qa_testing",
        "topic": "QA testing",
        "offer": "software testing services",
        "benefit": "ship faster with fewer bugs",
        "pain": "releases held up by manual regression testing",
        "values": [
            "Our QA engineers can take over regression testing and automate it with Playwright and Cypress.",
            "We provide on-demand testers who plug into your release process within a week.",
            "We'll automate your top {n} user journeys in the first month, guaranteed.",
        ],
        "results": [
            "cut their regression cycle from four days to four hours",
            "reduced production bugs by 70%",
            "moved from monthly to weekly releases",
        ],
    },
    {
        "key": "ai_automation",
        "topic": "AI automation",
        "offer": "AI chatbots and workflow automation",
        "benefit": "automate repetitive work with AI",
        "pain": "support teams drowning in repetitive tickets",
        "values": [
            "We build custom AI agents that answer customer support tickets and cut response times by 80%.",
            "We've helped companies automate repetitive back-office work with GPT-powered workflows.",
            "Our AI assistant plugs into your help desk and resolves a third of tickets on its own from day one.",
        ],
        "results": [
            "automated {n}% of their inbound tickets",
            "saved 120 hours a month of manual data entry",
            "launched an AI assistant in three weeks",
        ],
    },
    {
        "key": "payments",
        "topic": "payment processing",
        "offer": "merchant services",
        "benefit": "pay less for card processing",
        "pain": "card fees eating into margins",
        "values": [
            "We can lower your card processing fees; most businesses we review save 20-35% on their current rates.",
            "I'd love to run a free statement analysis to see how much {bcompany} could save on payment processing.",
        ],
        "results": [
            "saved ${k},000 a year in processing fees",
            "switched providers with zero downtime",
        ],
    },
    {
        "key": "gifting",
        "topic": "corporate gifting",
        "offer": "employee and client gifting",
        "benefit": "send gifts people actually love",
        "pain": "generic swag nobody keeps",
        "values": [
            "We help companies send memorable gifts to clients and employees, with global delivery and no minimum order.",
            "Our gifting platform lets your team send curated gift boxes to prospects in a couple of clicks.",
        ],
        "results": [
            "saw a {n}% meeting rate from gifted prospects",
            "shipped holiday gifts to 40 countries",
        ],
    },
    {
        "key": "rd_tax_credits",
        "topic": "R&D tax credits",
        "offer": "R&D tax credit claims",
        "benefit": "claim the R&D credits they're entitled to",
        "pain": "leaving R&D tax credits unclaimed",
        "values": [
            "Software companies like {bcompany} often qualify for R&D tax credits worth tens of thousands; we handle the whole claim on a success fee.",
            "Most engineering-led companies we speak to are under-claiming R&D credits by 40% or more.",
        ],
        "results": [
            "recovered ${k}0,000 in R&D credits",
            "claimed three years of credits retroactively",
        ],
    },
    {
        "key": "localization",
        "topic": "localisation",
        "offer": "translation and localisation",
        "benefit": "launch in new markets",
        "pain": "a product only available in English",
        "values": [
            "We translate and localise SaaS products into 30+ languages, with native reviewers and continuous delivery.",
            "If {bcompany} is expanding abroad, we can localise your app and help centre in under a month.",
        ],
        "results": [
            "launched in five new languages in six weeks",
            "grew revenue outside the US by {n}%",
        ],
    },
]

# -- first touch -----------------------------------------------------------------------------------------
GREETINGS: Final = [
    "Hi {first},", "Hey {first},", "Hello {first},", "Hi {first} -", "{first},", "Hey {first}!",
    "Good morning {first},", "Dear {first},", "Hi {first}, hope you're well.", "Hey there {first},",
    "Hi {first} 👋", "Morning {first},", "Hiya {first},", "Greetings {first},", "Hello {first}, I hope all is well.",
    "Good afternoon {first},", "{first} - hi!", "Dear Mr./Ms. {last},", "Hi {first}, happy {weekday}!",
]  # fmt: skip
COLD_OPENERS: Final = [
    "I came across {bcompany} while looking at {industry} companies and thought I'd reach out.",
    "I'll keep this short since I know your inbox is busy.",
    "My name is {sender_first} and I work with {role_plural} at companies like {bcompany}.",
    "Noticed {bcompany} has been growing quickly. Congrats on the momentum!",
    "I was reading about {bcompany} and your work in {industry} really stood out.",
    "We haven't met yet, but I've been following {bcompany} for a while.",
    "I saw that {bcompany} is hiring for several roles right now.",
    "Reaching out because teams like yours often tell us about {pain}.",
    "I'm {sender_first} from {company}.",
    "Hope this note finds you well.",
    "Quick one for you.",
    "I know cold emails aren't anyone's favourite, so I'll get straight to the point.",
    "I'm reaching out to a handful of {role_plural} in {region} this week.",
    "Your profile caught my eye: a {title} at {bcompany} is exactly who we work with.",
    "I noticed your recent post about {topic_hook} and it got me thinking.",
    "Apologies for the unsolicited email.",
    "I was on {bcompany}'s website this morning and had an idea.",
    "Not sure if you're the right person for this, but here goes.",
    "I've been working with several companies in {industry} lately and noticed a pattern.",
    "Let me introduce myself briefly.",
    "Is {topic} something on your radar this quarter?",
    "I'm writing because {bcompany} looks like a great match for our {offer}.",
    "Saw that {bcompany} just launched {launch}. Nice work!",
    "Happy {weekday}! Hope the week is treating you well.",
    "You probably get a lot of these, but I promise this one is worth 30 seconds.",
    "I help {role_plural} {benefit}.",
    "Thought this might be relevant given {bcompany}'s plans for {year}.",
    "Curious whether you've looked at {topic} recently.",
    "I represent {company}, and we specialise in {offer}.",
    "Hope you don't mind me reaching out directly.",
    "As a fellow {industry} enthusiast, I wanted to share something with you.",
    "I was going through a list of fast-growing companies in {region} and {bcompany} came up.",
]
LINKEDIN_OPENERS: Final = [
    "Thanks for connecting, {first}!",
    "Appreciate you accepting my invite.",
    "Great to be connected here.",
    "Glad we're connected now.",
    "Thanks for accepting my connection request!",
    "Good to connect with you, {first}.",
    "Really appreciate the connect.",
    "Thanks for adding me to your network.",
    "Nice to e-meet you, {first}.",
    "Happy to be connected!",
    "Now that we're connected, I wanted to reach out directly.",
    "Following our connection on LinkedIn, I wanted to introduce myself properly.",
    "We just connected on LinkedIn, so I thought I'd drop you a line here as well.",
    "Thanks for the connection. I'll keep this brief.",
    "Pleasure connecting with you.",
    "Love what you're doing at {bcompany}, and thanks for connecting.",
    "Glad to have you in my network.",
    "Saw that you accepted my invite, thank you!",
    "Connecting here after coming across your profile.",
    "Since we're now connected, I hope you don't mind a quick message.",
    "Thanks for linking up!",
    "Appreciate the connection, {first}. Quick question for you.",
    "Great to connect. I see we're both in {industry}.",
    "It's great to be connected with a {title} at {bcompany}.",
    "Thank you for connecting with me, {first}.",
    "Hey, thanks for accepting!",
    "Delighted to connect with you here.",
]
PROOF_FRAMES: Final = [
    "We recently helped {client} {result}.",
    "Just last quarter, {client} {result} with us.",
    "For example, {client} {result}.",
    "One of our clients, {client}, {result}.",
    "Teams like {client} and {client2} work with us; {client} {result}.",
    "{client} is a good example: they {result}.",
    "To give you an idea, {client} {result} after working with us.",
    "A company similar to yours, {client}, {result}.",
    "Our most recent client {result}.",
    "We've had great results in {industry}: {client} {result}.",
]
CTAS: Final = [
    "Are you open to a quick 15-minute call this week?",
    "Would you be open to a short chat next {weekday}?",
    "Worth a quick conversation?",
    "Do you have 10 minutes on {weekday} to explore this?",
    "If it makes sense, grab a time that suits you here: {cal}",
    "Can I send over a 2-minute video showing how this would work for {bcompany}?",
    "Open to learning more?",
    "Would it be crazy to chat for 15 minutes?",
    "Who would be the best person to speak with about this?",
    "Interested in seeing a quick demo?",
    "Mind if I send over a few details?",
    "Would you like me to put together a free audit for {bcompany}?",
    "Is this something you'd like to explore?",
    "How does your calendar look later this week?",
    "Let me know if a quick call makes sense. Here's my booking page: {cal}",
    "Are you free for a virtual coffee sometime next week?",
    "Happy to share a case study if helpful. Just reply 'yes'.",
    "Can we find 20 minutes to discuss?",
    "Would next {weekday} at 11am work for a quick intro call?",
    "Shall I send you a calendar invite?",
    "If you're the right person, when would be a good time to connect?",
    "Could we jump on a call so I can walk you through the numbers?",
    "Any interest in a no-obligation consultation?",
    "Would you be opposed to a brief call to see if there's a fit?",
    "Reply with a time that works and I'll send an invite.",
    "What does your availability look like on {weekday}?",
    "Fancy a quick chat?",
    "Would it make sense to connect for a few minutes?",
    "Book a slot directly if that's easier: {cal}",
    "Let's hop on a quick call: {cal}",
    "I'd love to show you what this could look like for {bcompany}. Free this week?",
    "Could you spare 15 minutes for a discovery call?",
]
CAL_APPENDS: Final = [
    "You can pick a time here: {cal}",
    "My calendar: {cal}",
    "Feel free to book directly: {cal}",
    "Here's a link to my calendar if that's easier: {cal}",
    "Grab any slot that works: {cal}",
    "Booking link: {cal}",
]
SIGNOFFS: Final = [
    "Best,", "Best regards,", "Cheers,", "Thanks,", "Thanks in advance,", "Regards,", "Kind regards,",
    "Talk soon,", "Warm regards,", "All the best,", "Many thanks,", "Looking forward to hearing from you,",
    "Have a great day,", "Speak soon,", "Thank you,", "Sincerely,", "Have a great week,", "Best wishes,",
]  # fmt: skip
POSTSCRIPTS: Final = [
    "P.S. If you're not the right person, could you point me to who is?",
    "P.S. Not interested? Just let me know and I won't reach out again.",
    "P.S. We're offering a free pilot to the first three companies this month.",
    "P.S. I'll be in {region} next month if you'd rather meet in person.",
    "P.S. Here's a 90-second overview if you prefer video: https://www.loom.com/share/{token}",
    "PS - I've attached a short case study.",
    "P.S. Congrats again on the growth at {bcompany}!",
    "PS: no pressure at all, I know how busy things get.",
    "P.S. Reply 'stop' if you'd rather not hear from me.",
    "P.S. Our pricing starts lower than you'd think.",
]
FIRST_SUBJECTS: Final = [
    "Quick question, {first}", "quick question", "{bcompany} + {company}", "{first} <> {sender_first}",
    "Idea for {bcompany}", "{topic} at {bcompany}", "Partnership opportunity", "Helping {bcompany} with {topic}",
    "{first}, quick thought", "Can we talk {topic}?", "15 minutes next week?", "Intro: {company} x {bcompany}",
    "Following our connection", "Question about {bcompany}'s {topic}", "{topic} for {bcompany}", "A quick idea",
    "Reaching out", "{company} introduction", "worth a chat?", "{first} - {topic}", "Collaboration?",
    "{bcompany}'s {year} plans", "Thoughts?", "Hello from {company}", "Is {topic} on your radar?",
    "{first}, are you the right person?", "Saw your profile", "{bcompany} / {company}", "Can I help?",
    "Great connecting, {first}",
]  # fmt: skip

# -- follow-ups -----------------------------------------------------------------------------------------
FOLLOWUP_OPENERS: Final = [
    "Just following up on my previous email.",
    "Bumping this to the top of your inbox.",
    "Did you get a chance to look at my last note?",
    "Circling back on the email below.",
    "Wanted to make sure this didn't get buried.",
    "Not sure if you saw my message from last week.",
    "Floating this back up in case it slipped through.",
    "Any thoughts on the note below?",
    "I know things get busy, so I wanted to check in again.",
    "Quick nudge on this one.",
    "Checking in to see if you had a moment to consider my email.",
    "Following up in case my last email slipped through the cracks.",
    "I haven't heard back, so I thought I'd try once more.",
    "Trying you again.",
    "Hope you had a great weekend! Wanted to revisit my earlier message.",
    "Reviving this thread.",
    "Did my previous email end up in your spam folder?",
    "I'm guessing you've been slammed lately.",
    "Just wanted to bring this back to your attention.",
    "Sorry to bother you again, {first}.",
    "Just a gentle reminder about my email from {weekday}.",
    "I reached out a few days ago about {topic} and wanted to follow up.",
    "Touching base on my previous message.",
    "Resending in case this got lost.",
    "Any update on this?",
    "Still keen to hear your thoughts on {topic}.",
    "Did you see my email?",
    "Pinging you again about {topic}.",
    "Following up on my note about helping {bcompany} with {topic}.",
    "Wanted to check whether you've had a chance to review my last email.",
    "Me again!",
    "I don't want to be a pest, but I wanted to follow up.",
    "Just checking whether this is on your radar.",
    "Hi again, just wanted to see if you'd given any thought to my message.",
    "Thought I'd send a quick follow-up since I didn't hear back.",
    "Circling back here.",
    "Just bumping this up.",
    "I'm sure you're busy, so I'll keep it short.",
    "Coming back to this one.",
    "Any chance you saw my last message?",
    "Popping back into your inbox.",
    "Hope all is well! Following up on the below.",
    "One more nudge on this.",
    "Just making sure you saw this.",
    "Quick follow-up on my earlier message about {topic}.",
    "Hope your week is going well. Did you have a chance to think about my last note?",
    "Raising this again in case the timing is better now.",
    "Haven't heard from you yet, so I'm reaching out one more time.",
]
FOLLOWUP_MIDDLES: Final = [
    "Happy to send over a short case study on how {client} {result}.",
    "Many {role_plural} I speak with are dealing with {pain}. Is that the case at {bcompany} too?",
    "I put together a few ideas specific to {bcompany} that I'd love to share.",
    "We have a couple of slots open this month, which is why I'm reaching out again.",
    "To recap: {value}",
    "In a nutshell: {value}",
    "I genuinely think we could help {bcompany} {benefit}.",
    "Since my last email, {client} {result}, and I think {bcompany} could see something similar.",
    "I realise my first email may have been a bit long, so here's the short version: we help {role_plural} {benefit}.",
    "This could be especially relevant with {year} planning underway.",
    "",
    "",
    "",
]
FOLLOWUP_CTAS: Final = [
    "Does a quick call this week make sense?",
    "Worth 15 minutes?",
    "Let me know either way.",
    "Is this a priority for you right now?",
    "Would {weekday} work for a short chat?",
    "Could you point me to the right person?",
    "A simple yes or no would be great.",
    "Any interest?",
    "Shall we find a time?",
    "Here's my calendar if that's easier: {cal}",
    "Are you free for 10 minutes this week?",
    "Would love to hear your thoughts.",
    "Should I follow up in a few months instead?",
    "Is it worth a conversation?",
    "Let me know if you'd like to learn more.",
    "Open to a brief call?",
    "What do you think?",
    "Can I send you more info?",
    "Just reply with a good time and I'll make it work.",
    "Grab 15 minutes here: {cal}",
]
BREAKUP_LINES: Final = [
    "This will be my last email about this.",
    "I'll assume the timing isn't right and stop reaching out.",
    "Should I close your file?",
    "Last try!",
    "I don't want to be a pest, so this is my final note.",
    "If I don't hear back, I'll take that as a sign that now isn't the right time.",
    "Since I haven't heard back, I'm guessing this isn't a priority right now.",
    "I've reached out a few times without hearing back, so I'll leave it here.",
    "Permission to close the loop on this?",
    "Breaking up is hard to do, but this is my last email.",
    "One last attempt before I move on.",
    "I'll stop filling up your inbox after this one.",
    "Is it a no? Just reply 1 for not interested, 2 for not now, or 3 for let's talk.",
    "I'm going to close out your file unless I hear otherwise.",
    "Final follow-up from me.",
    "I'll take the hint. This is my last message.",
    "Totally understand if this isn't a fit; I won't reach out again after this.",
    "Last email, I promise.",
    "Before I close the loop, is there someone else I should speak with?",
    "Have you given up on {topic}, or is it just bad timing?",
    "Are you still interested in {topic}? If not, I'll take you off my list.",
    "I'd hate to keep bothering you, so this is the last time I'll write.",
    "Figured I'd try one last time.",
    "If now isn't a good time, just let me know and I'll circle back next quarter.",
    "Should I stop reaching out?",
    "Not hearing back usually means you're not interested, you're busy, or you're being chased by a bear. Which is it?",
    "Hope I'm not being a nuisance. Final note from me.",
]
BREAKUP_TAILS: Final = [
    "If someone else handles {topic} at {bcompany}, I'd be grateful for an intro.",
    "Either way, I wish you and the {bcompany} team all the best.",
    "My door is always open if things change.",
    "No hard feelings either way!",
    "If I've got this wrong, a one-word reply is all I need.",
    "",
]
FOLLOWUP_SUBJECTS: Final = [
    "Following up", "Did you see my email?", "{first}?", "Any thoughts?", "checking in", "Bumping this up",
    "one more thing", "Quick follow-up", "Still interested?", "{topic} - follow up", "Circling back",
    "Thoughts on my last email?", "Any update, {first}?", "Re: quick question", "Just checking in",
    "Re: our conversation", "Re: Following up", "Re: {topic}",
]  # fmt: skip
BREAKUP_SUBJECTS: Final = [
    "Last try!", "Should I close your file?", "Closing the loop", "Permission to close your file?",
    "Is this goodbye?", "Final follow-up", "Breaking up?", "Last email", "Should I stop reaching out?",
]  # fmt: skip

# -- outreach-tool fingerprints --------------------------------------------------------------------------
# Which headers each tool adds is deliberately loose: some set X-Mailer, some a custom header, and tools
# that send through the customer's own Gmail or Microsoft 365 mailbox add nothing at all.
OUTREACH_TOOLS: Final[list[dict[str, object]]] = [
    {
        "name": "lemlist",
        "headers": {"X-Mailer": "lemlist"},
        "pixel": "https://lemlist.com/api/track/open/{token}",
    },
    {"name": "apollo", "headers": {"X-Mailer": "Apollo.io"}, "pixel": "https://app.apollo.io/o/{token}.gif"},
    {"name": "outreach", "headers": {"X-Mailer": "Outreach"}, "pixel": "https://mktg.outreach.io/o/{token}"},
    {
        "name": "replyio",
        "headers": {"X-Mailer": "Reply.io"},
        "pixel": "https://trk.reply.io/open/{token}.png",
    },
    {"name": "instantly", "headers": {"X-Mailer": "Instantly"}, "pixel": "https://inst.ly/t/{token}"},
    {
        "name": "woodpecker",
        "headers": {"X-Mailer": "Woodpecker.co"},
        "pixel": "https://app.woodpecker.co/open/{token}",
    },
    {
        "name": "mailshake",
        "headers": {"X-Mailer": "Mailshake"},
        "pixel": "https://mailshake.com/t/o/{token}.gif",
    },
    {"name": "salesloft", "headers": {"X-Mailer": "Salesloft"}, "pixel": "https://t.salesloft.com/o/{token}"},
    {"name": "smartlead", "headers": {}, "pixel": "https://open.sleadtrack.com/o/{token}"},
    {"name": "yesware", "headers": {"X-Mailer": "Yesware"}, "pixel": "https://t.yesware.com/t/{token}/o.gif"},
    {
        "name": "saleshandy",
        "headers": {"X-Mailer": "SalesHandy"},
        "pixel": "https://track.saleshandy.com/o/{token}",
    },
    {"name": "klenty", "headers": {"X-Mailer": "Klenty"}, "pixel": "https://t.klenty.com/open/{token}"},
]
GENERIC_PIXELS: Final = [
    "https://track.{domain}/o/{token}.gif",
    "https://email.{domain}/e/o/{token}",
    "https://links.{domain}/wf/open?upn={token}",
]
CALENDAR_LINKS: Final = [
    "https://calendly.com/{slug}/15min", "https://calendly.com/{slug}/intro-call",
    "https://meetings.hubspot.com/{slug}", "https://cal.com/{slug}/discovery", "https://savvycal.com/{slug}/chat",
    "https://zcal.co/{slug}/15", "https://tidycal.com/{slug}/30-minute-meeting",
    "https://{company_slug}.chilipiper.com/book/me/{slug}", "https://go.oncehub.com/{slug}",
    "https://calendar.app.google/{token}", "https://outlook.office365.com/book/{company_slug}@{domain}/",
]  # fmt: skip
BENIGN_MAILERS: Final = [
    "Microsoft Outlook 16.0", "Apple Mail (2.3774.300.61.1.2)", "Mozilla Thunderbird", "iPhone Mail (21E236)",
]  # fmt: skip

# -- wanted mail: colleagues ------------------------------------------------------------------------------
# (subject, ask) pairs; asks may use {first} (the recipient) and {weekday}.
COLLEAGUE_REQUESTS: Final = [
    ("Q{quarter} roadmap review", "Could you take a look at the roadmap draft before {weekday}'s review?"),
    (
        "Incident postmortem",
        "I've written up the postmortem for the ingestion outage. Can you add the timeline from your side?",
    ),
    ("Hiring plan", "Finance wants the hiring plan by end of week. Can you confirm the two backend roles?"),
    ("Offsite budget", "Do we have budget for the team offsite in March? I need a number for the venue."),
    (
        "Design review: export service",
        "The design doc for the export service is ready for review. Comments welcome.",
    ),
    (
        "PR #{n} needs a second reviewer",
        "Could you review my PR for the schema migration? It's blocking the release.",
    ),
    (
        "Customer escalation",
        "One of our larger accounts is unhappy about the dashboard latency. Can we sync for 15 min?",
    ),
    ("Lunch {weekday}?", "A few of us are going to the new ramen place on {weekday}. Want to join?"),
    (
        "On-call handover",
        "Handing over on-call to you tomorrow. Two open alerts, both documented in the runbook.",
    ),
    ("Board deck numbers", "Can you double-check the uptime and velocity numbers on slide 7?"),
    (
        "Interview feedback",
        "Please add your interview feedback for the staff engineer candidate to the tracker.",
    ),
    ("Security training", "Reminder that the annual security training is due by the 31st."),
    ("OKR draft", "I've shared the engineering OKR draft. Does the reliability objective look right to you?"),
    (
        "Database migration timeline",
        "What's the realistic date for moving the reporting DB to the new cluster?",
    ),
    ("Vendor contract for logging", "Legal needs your sign-off on the logging vendor contract."),
    ("Team photo", "We're taking the team photo on {weekday} at 2pm in the big meeting room."),
    ("Access request", "Could you approve my access request for the production read replica?"),
    (
        "Sprint planning",
        "Moving sprint planning to 10:30 on {weekday}, the earlier slot clashes with the all-hands.",
    ),
    ("Conference talk", "Our talk proposal for DataEngConf was accepted! Can we plan the slides next week?"),
    ("Laptop refresh", "IT says your laptop is due for a refresh. Which model do you want?"),
    ("Budget variance", "Cloud spend was 12% over plan last month. Can you help me explain the variance?"),
    ("Release notes for v{n}", "Draft release notes are in the doc. Anything from your team I missed?"),
    (
        "Customer call notes",
        "Notes from today's call with the logistics customer are attached. Action items at the bottom.",
    ),
    (
        "Performance reviews",
        "Calibration session is on {weekday}. Please have your ratings in by the day before.",
    ),
    (
        "New starter on Monday",
        "Priya starts on Monday. Could someone from your team be her onboarding buddy?",
    ),
    (
        "API deprecation plan",
        "Proposal for deprecating the v1 API is in the doc. Does a six-month window work for you?",
    ),
    (
        "Quick favour",
        "Would you mind presenting the platform update at Thursday's all-hands? I'm out that day.",
    ),
    (
        "Data retention policy",
        "Compliance asked whether we delete raw events after 90 days. Do you know offhand?",
    ),
]
COLLEAGUE_DETAILS: Final = [
    "Doc is in the shared drive under Planning.",
    "No rush, but sooner is better.",
    "Happy to walk you through it if that's easier.",
    "Let me know if you have questions.",
    "Thanks a lot!",
    "I've put a placeholder on your calendar.",
    "Ping me on chat if that's quicker.",
    "",
    "",
]
COLLEAGUE_NUDGES: Final = [
    "Just following up on this, I need your input by {weekday}.",
    "Bumping this, any thoughts?",
    "Following up on the below, sorry to nag!",
    "Any chance you could look at this today?",
    "Gentle nudge on this one 🙂",
    "Circling back, we're blocked on your sign-off.",
    "Did you get a chance to look at this?",
    "Ping! Still need this before the review.",
    "Following up on my earlier email: the deadline moved up to {weekday}.",
    "Hey, just checking you saw this.",
    "Bumping to the top of your inbox, I know it's a busy week.",
    "Sorry to chase, but finance is asking again.",
    "Friendly reminder about this one.",
    "Any update? Happy to chat live if easier.",
    "Just following up on this, no worries if you're swamped.",
    "Second nudge, sorry! Could you take a look before end of day?",
    "Re-sending in case it got lost in the noise.",
    "Checking in again on this. Shall I just go ahead?",
    "Don't want this to slip, could you have a look?",
    "Still waiting on this one. Should I ask someone else?",
    "Quick reminder, this is due {weekday}.",
    "Following up again. Five minutes of your time would unblock us.",
    "Just bumping this thread.",
    "Any thoughts on this? Want to close it out this week.",
    "Hate to nag, but I really need your answer on this.",
    "Circling back on this before I send it to the leadership team.",
]

# -- wanted mail: threads the owner started or joined -----------------------------------------------------
# (subject, owner's first message, counterpart's reply); {cfirst} is the counterpart, {first} the owner.
OWNER_THREADS: Final = [
    (
        "Contract renewal",
        "Hi {cfirst},\n\nOur contract is up for renewal next month. Could you send the updated terms?",
        "Hi {first},\n\nSure, the updated terms are attached. The only change is the support tier. Let me know if anything looks off.",
    ),
    (
        "Intro to our data team",
        "Hi {cfirst},\n\nAs discussed, I'd love to introduce you to our data team. Do you have time next week?",
        "Thanks {first}! Tuesday or Wednesday afternoon works for me.",
    ),
    (
        "Talk proposal",
        "Hi {cfirst},\n\nI'm thinking of submitting a talk on our streaming pipeline. Would you co-present?",
        "I'd love to. Let's sketch an outline this week. I'll send a doc.",
    ),
    (
        "Beta feedback",
        "Hi {cfirst},\n\nThanks for trying the beta. How has the new export feature worked for your team?",
        "Hi {first}, mostly great. Large exports time out after about 10 minutes, though. Details below.",
    ),
    (
        "Dinner next week?",
        "Hey {cfirst}, I'm in town next week. Dinner on Wednesday?",
        "Yes! Wednesday at 7 works. I'll book the usual place.",
    ),
    (
        "API rate limits",
        "Hi {cfirst},\n\nWe're hitting your API rate limit during nightly syncs. Is there a way to raise it for our account?",
        "Hi {first},\n\nI've raised your limit to 50 requests per second. Let me know if that's enough.",
    ),
    (
        "Reference check",
        "Hi {cfirst},\n\nA candidate listed you as a reference. Would you have 15 minutes for a call?",
        "Happy to help, {first}. Thursday morning works best.",
    ),
    (
        "Invoice question",
        "Hi {cfirst},\n\nI think last month's invoice double-counted the support hours. Could you check?",
        "You're right, apologies. A corrected invoice is attached.",
    ),
    (
        "Advisory board",
        "Hi {cfirst},\n\nWould you consider joining our customer advisory board? Two meetings a year.",
        "I'm flattered! Count me in. Send over the details when you have them.",
    ),
    (
        "Joint webinar",
        "Hi {cfirst},\n\nFollowing our call, here's the proposed agenda for the joint webinar. Thoughts?",
        "Looks good. I'd swap sections 2 and 3, otherwise ready to go.",
    ),
    (
        "Open source contribution",
        "Hi {cfirst},\n\nWe'd like to upstream our patch to your library. Would you accept a PR for the retry logic?",
        "Definitely. Open the PR and tag me; I'll review it this week.",
    ),
    (
        "Catching up",
        "Hi {cfirst},\n\nIt's been ages! Coffee sometime this month?",
        "So good to hear from you, {first}! How about the 14th?",
    ),
    (
        "Security questionnaire",
        "Hi {cfirst},\n\nAttached is our completed security questionnaire. Anything else you need from us?",
        "Thanks {first}, that's everything. Our security team will review it this week.",
    ),
    (
        "Consulting engagement",
        "Hi {cfirst},\n\nWe'd like to extend your engagement by another month. Are you available?",
        "Yes, I can continue through the end of next month. I'll send an updated SOW.",
    ),
]
# The counterpart's later message in a thread the owner took part in; may say "following up".
THREAD_LATER: Final = [
    "Hi {first},\n\nJust following up on the above. Did the attachment come through okay?",
    "One more thing I forgot: could you also send the signed copy back?",
    "Hi {first}, circling back on this. Any news on your side?",
    "Quick update: we've fixed the issue on our end. Let me know if you still see it.",
    "Thanks again, {first}. Looking forward to it!",
    "Hi {first}, checking in on this. Happy to jump on a call if easier.",
    "Hi {first},\n\nBumping this in case it got buried. No rush.",
]
INBOUND_THREAD_STARTS: Final = [
    (
        "Q{quarter} business review",
        "Hi {first},\n\nTime for our quarterly business review. Could your team present the usage numbers?",
    ),
    (
        "Integration issue",
        "Hi {first},\n\nOur engineers see intermittent 502s from your webhook endpoint since yesterday. Known issue?",
    ),
    (
        "Meetup speaker",
        "Hi {first},\n\n{mutual} mentioned you gave a great talk on data contracts. Would you speak at our meetup in April?",
    ),
    (
        "Renewal paperwork",
        "Hi {first},\n\nAttached is the renewal paperwork for next year. Please sign when you get a chance.",
    ),
    (
        "Partnership follow-up",
        "Hi {first},\n\nGreat seeing you at the partner summit. As promised, here's the draft integration plan.",
    ),
    (
        "Thesis collaboration",
        "Dear {first},\n\nI'm a PhD student at TU Delft working on stream processing. {mutual} suggested I contact you about a possible collaboration.",
    ),
]
OWNER_REPLIES: Final = [
    "Thanks {cfirst}, that works for me.",
    "Hi {cfirst},\n\nThanks for this. Let me check with the team and get back to you by Friday.",
    "Sounds good. Let's do it.",
    "Thanks, looks great. One question: can we move the date by a week?",
    "Got it, thank you!",
    "Hi {cfirst}, happy to help. Let's talk on Thursday.",
    "Thanks for flagging. We're looking into it now.",
]

# -- wanted mail: vendors the owner contacted first --------------------------------------------------------
VENDOR_PRODUCTS: Final = [
    ("observability platform", "about 60 hosts"), ("CI/CD service", "around 40 developers"),
    ("log management tool", "roughly 2 TB a day"), ("penetration test", "our web app and public API"),
    ("website redesign", "our marketing site"), ("office coworking space", "a team of 12 in the city centre"),
    ("feature-flag service", "three products"), ("conference booth", "the spring data conference"),
    ("laptop leasing", "30 laptops"), ("translation service", "our app and help centre, into German and French"),
    ("SOC 2 audit", "our first Type I audit"), ("recruiting agency", "two senior backend roles"),
]  # fmt: skip
OWNER_PRICING_ASKS: Final = [
    "Hi,\n\nWe're evaluating a {product} for {scope}. Could you send me pricing and any annual discounts?",
    "Hello,\n\nCould you share pricing for your {product}? We'd need it for {scope}.",
    "Hi there,\n\nI'm looking for a quote on a {product} for {scope}. What would that cost?",
    "Hi {cfirst},\n\nA colleague recommended you. We need a {product} for {scope}; can you send a proposal?",
]
VENDOR_ANSWERS: Final = [
    "Hi {first},\n\nThanks for reaching out! Pricing for {scope} is attached, with a 15% discount on annual plans. Happy to walk you through it: {cal}",
    "Hi {first},\n\nGreat to hear from you. Based on {scope}, I'd recommend our Team plan; the quote is attached.",
    "Hello {first},\n\nThank you for your interest in our {product}. Please find our proposal attached. Any questions, just reply here.",
    "Hi {first},\n\nThanks for the request! For {scope} we're looking at roughly $1,800 a month. I've attached the full breakdown.",
]
VENDOR_FOLLOWUPS: Final = [
    "Hi {first},\n\nJust checking in: did you have a chance to review the quote?",
    "Hi {first},\n\nFollowing up on the proposal I sent last week. Happy to answer any questions.",
    "Hi {first}, any thoughts on the pricing? I can hold the annual discount until the end of the month.",
    "Hi {first},\n\nCircling back on our proposal. Would a quick call help? {cal}",
    "Hi {first}, just bumping this in case it got buried. Let me know if you need anything else for your evaluation.",
    "Hi {first},\n\nWanted to follow up and see where things stand on your side.",
    "Hi {first}, I know evaluations take time. If it helps, I can set up a free trial for your team.",
]

# -- wanted mail: strangers who want something ------------------------------------------------------------
PROSPECT_ASKS: Final = [
    (
        "Pricing for Example Insights",
        "Hi,\n\nI'm the operations lead at {company}. We're looking at analytics tools for a team of {n}. Could you share pricing for Example Insights, and do you offer annual plans?",
    ),
    (
        "Question about your enterprise plan",
        "Hello,\n\nWe're a {n}-person logistics company comparing dashboard tools. Does your enterprise plan include SSO and on-prem deployment? What does it cost?",
    ),
    (
        "Interested in a demo",
        "Hi {first},\n\nI found Example Analytics through a colleague. We'd like to see a demo and understand pricing for about {n} users.",
    ),
    (
        "Quote request",
        "Hi there,\n\nCould you send a quote for Example Insights for {n} seats? We have budget approved for this quarter.",
    ),
    (
        "Nonprofit discount?",
        "Hi,\n\nI run data for a small nonprofit. Do you have nonprofit pricing for Example Insights? We'd need {n} seats.",
    ),
]
APPLICANT_ASKS: Final = [
    (
        "Application: Senior Data Engineer",
        "Dear {first},\n\nI'm applying for the Senior Data Engineer role posted on your careers page. My CV is attached. I've spent five years building streaming pipelines at {company}.",
    ),
    (
        "Backend Engineer position",
        "Hi {first},\n\nI saw the backend engineer opening and would love to be considered. CV attached; happy to share code samples.",
    ),
    (
        "Internship enquiry",
        "Hello {first},\n\nI'm a final-year CS student and would love to intern with your engineering team this summer. My CV is attached.",
    ),
    (
        "Engineering manager role",
        "Hi {first},\n\nA former colleague at Example Analytics suggested I reach out about the engineering manager role. I've attached my CV.",
    ),
]
CUSTOMER_ISSUES: Final = [
    (
        "Dashboard export failing",
        "Hi,\n\nSince Tuesday our scheduled CSV exports fail with 'internal error'. Account: {company}. Could someone take a look?",
    ),
    (
        "Data not refreshing",
        "Hello,\n\nOur dashboards haven't refreshed since yesterday morning. We rely on them for daily standups. Please advise.",
    ),
    (
        "Billing error on our account",
        "Hi {first},\n\nWe were charged twice this month for our Example Insights subscription. Can you help?",
    ),
    (
        "SSO login broken",
        "Hi,\n\nNone of our users can log in through Okta since this morning's update. Error: invalid audience.",
    ),
    (
        "API returning 500s",
        "Hi {first},\n\nYour metrics API returns HTTP 500 for queries longer than 30 days. Request IDs below.",
    ),
]
JOURNALIST_ASKS: Final = [
    (
        "Request for comment: data engineering salaries",
        "Hi {first},\n\nI'm a reporter at {outlet} writing about how data teams are coping with hiring freezes. Could I get a quote from you by {weekday}?",
    ),
    (
        "Interview request for {outlet}",
        "Hello {first},\n\nI'm working on a piece about open-source analytics tools for {outlet}. Would you have 20 minutes for a short interview?",
    ),
    (
        "Quick quote on AI in analytics?",
        "Hi {first},\n\nI'm writing for {outlet} on how companies use AI in their analytics stack. Would you share a couple of sentences on your team's approach?",
    ),
    (
        "Podcast interview invitation",
        "Hi {first},\n\nI host the {outlet} podcast on data engineering. We'd love to have you on to talk about your migration to streaming.",
    ),
]
OUTLETS: Final = [
    "TechRadar Pro",
    "The Data Journal",
    "InfoWorld",
    "Computer Weekly",
    "The Register",
    "DataTalks",
]
STRANGER_NUDGES: Final = [
    "Hi {first},\n\nJust following up on my message below. Is there someone else I should contact?",
    "Hello again,\n\nSorry to chase. We're hoping to decide by the end of the month, so any pointer would help.",
    "Hi {first},\n\nI wanted to follow up on my note from last week. Happy to provide more details.",
    "Hi,\n\nAny update on this? Our team is still affected.",
    "Hi {first}, gentle reminder about the below. My deadline is {weekday} at noon.",
    "Hello {first},\n\nI wanted to make sure my email reached you. Thank you for considering it.",
    "Hi,\n\nFollowing up on my previous email. Could someone confirm you received it?",
    "Hi {first},\n\nJust checking whether you had a chance to see this. Thanks!",
]
GENUINE_NOTES: Final = [
    "Hi {first},\n\nGreat meeting you at {event} last week! As promised, here are the slides from my talk: {link}",
    "Hi {first}, really enjoyed our chat at the {event} dinner. Here's the paper I mentioned on data contracts: {link}",
    "Thanks for connecting, {first}! It was fun comparing notes on on-call rotations at {event}. The runbook template I mentioned is here: {link}",
    "Hi {first},\n\nLovely to meet you at {event}. Sharing the recording of the panel, your question got a great discussion going: {link}",
    "Hey {first}, good to finally connect after {event}. Here's the open-source tool I was telling you about: {link}",
    "Hi {first}, thanks again for the advice on hiring at {event}. Here's the job description we ended up writing, in case it's useful: {link}",
]
