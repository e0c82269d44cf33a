"""English phrases, several alternatives per slot."""

BANK: dict[str, list[str]] = {
    "re": ["Re: ", "RE: ", "Re: "],
    "weekdays": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"],
    "titles": [
        "Account Executive",
        "Business Development Manager",
        "Founder & CEO",
        "Growth Partner",
        "Head of Partnerships",
        "SDR",
        "Senior Consultant",
    ],
    # -- cold pitches -----------------------------------------------------------------------------------
    "subj_leadgen": [
        "More qualified meetings for {company}",
        "{first}, 20+ sales calls a month?",
        "Filling your pipeline in Q4",
        "Quick idea for {company}'s outbound",
        "booked meetings, no retainer",
    ],
    "subj_devshop": [
        "Dedicated developers for {company}",
        "Scaling your dev team without the hiring pain",
        "{first}, extra engineering capacity?",
        "Senior React/Python devs from $25/h",
        "quick question about your roadmap",
    ],
    "subj_seo": [
        "{company}'s Google rankings",
        "Took a quick look at your website",
        "3 issues holding back larkhill traffic",
        "SEO audit for {company} (free)",
        "Your site is losing visitors",
    ],
    "subj_recruiting": [
        "Hiring data engineers?",
        "Candidates for your open roles",
        "{first}, we have 3 pre-vetted analysts",
        "Recruiting support for {company}",
        "Your Senior Data Scientist opening",
    ],
    "subj_supplies": [
        "Toner and office supplies at 30% less",
        "Your printer cartridges",
        "Office supply quote for {company}",
        "Cutting your print costs",
        "Special pricing on ink & toner this month",
    ],
    "subj_saas": [
        "Automating {company}'s reporting",
        "{first} - AI assistant for your team?",
        "Cut your month-end close by 60%",
        "idea for {company}",
        "A better way to handle expenses",
    ],
    "greet": [
        "Hi {first},",
        "Hello {first},",
        "Hey {first},",
        "{first},",
        "Hi {first} -",
        "Good morning {first},",
    ],
    "open": [
        "I came across {company} on LinkedIn and was impressed by what your team is building.",
        "I'll keep this short since I know your inbox is busy.",
        "I noticed {company} has been growing quickly this year - congrats!",
        "Saw that you recently posted a few new roles, which usually means growth is on the agenda.",
        "I was researching analytics companies in the UK and {company} came up.",
        "Hope your week is off to a good start.",
        "Reaching out because we work with a lot of teams similar to {company}.",
        "Your recent post about data quality caught my eye.",
    ],
    "value_leadgen": [
        "We book qualified sales meetings directly into your calendar - you only pay for the meetings that actually happen.",
        "Our team runs done-for-you outbound campaigns (email + LinkedIn) that typically add 15-25 qualified calls a month.",
        "We build targeted lead lists of decision makers in your ICP and handle the entire outreach for you.",
        "Most of our clients see a full pipeline within 30 days, without hiring extra SDRs.",
    ],
    "value_devshop": [
        "We provide senior developers from our offices in Kyiv and Manila who integrate with your team within a week.",
        "Our dedicated teams (React, Node, Python, data engineering) cost about half of a local hire and you can scale up or down monthly.",
        "We've delivered 200+ projects for SaaS companies and can start on your backlog next week.",
        "Whether it's an MVP or extra hands on an existing product, we can staff a full squad in under 10 days.",
    ],
    "value_seo": [
        "I ran a quick audit of your site and found a few technical issues that are likely costing you organic traffic.",
        "Your competitors are outranking you for several high-intent keywords, and it's fixable within a couple of months.",
        "We specialise in white-hat link building and on-page fixes that get B2B sites onto page one.",
        "Your page speed and meta descriptions need some attention - I put together a short video walkthrough.",
    ],
    "value_recruiting": [
        "We have a shortlist of pre-vetted data engineers and analysts who are open to new roles right now.",
        "Our recruiters specialise in data and analytics talent and fill most roles in under three weeks.",
        "We work on a success-only basis, so there's no cost unless you hire one of our candidates.",
        "I'm currently representing a senior data scientist who would be a great fit for {company}.",
    ],
    "value_supplies": [
        "We supply compatible toner and ink for all major printer brands at up to 30% below what most offices pay.",
        "Next-day delivery on paper, toner and office essentials, with one consolidated monthly invoice.",
        "We're running a special this month: free delivery and 15% off your first order of cartridges.",
        "Many offices your size save over £2,000 a year just by switching their print consumables.",
    ],
    "value_saas": [
        "Our platform automates the weekly reporting your analysts do by hand, so they can focus on real work.",
        "We've built an AI assistant that drafts client reports from your data in minutes.",
        "Teams like yours use us to cut their month-end close from ten days to four.",
        "It plugs into your existing stack (Slack, HubSpot, Snowflake) in about an hour.",
    ],
    "proof": [
        "We recently helped {client} increase booked demos by {pct}% in one quarter.",
        "{client} saw a {pct}% lift within the first 60 days of working with us.",
        "Companies like {client} and a few others in your space already work with us.",
        "Last quarter we delivered {pct}% more pipeline for {client} than their in-house team.",
        "",
    ],
    "cta": [
        "Would you be open to a quick 15-minute call next {weekday}?",
        "Worth a chat?",
        "Are you the right person to talk to about this?",
        "Open to exploring this?",
        "Can I send over a short case study?",
        'Reply "YES" and I\'ll send you the details.',
        "Do you have 10 minutes this week to see if it's a fit?",
        "Would it make sense to connect briefly on {weekday}?",
    ],
    "book": [
        "Feel free to grab a time here: {booking}",
        "Here's my calendar if that's easier: {booking}",
        "You can pick a slot that suits you: {booking}",
        "Book directly: {booking}",
    ],
    "sign": [
        "Best,\n{me}\n{title} | {my_company}",
        "Cheers,\n{me_first}",
        "Thanks,\n{me}\n{my_company}",
        "Kind regards,\n{me}\n{title}, {my_company}\n{phone}",
        "Talk soon,\n{me_first} | {my_company}",
    ],
    "ps": [
        "P.S. If you're not the right person, could you point me to who is?",
        "PS - happy to send a 2-minute video instead of a call.",
        "P.S. We're only taking on two new clients this month.",
        "",
    ],
    "optout": [
        "If this isn't relevant, just reply \"no\" and I won't reach out again.",
        "Don't want to hear from me? Unsubscribe here: {link}",
        "Not interested? Let me know and I'll close your file.",
    ],
    "fu_subject": [
        "Following up",
        "{first}?",
        "Quick follow-up",
        "Checking in",
        "Last try",
        "Closing the loop",
        "Any thoughts?",
        "Did you see this?",
    ],
    "fu_bump": [
        "Just bumping this to the top of your inbox.",
        "Did you get a chance to read my last email?",
        "Circling back on my note below.",
        "I know you're busy, so I'll keep it brief.",
        "Wanted to make sure this didn't get buried.",
        "Following up on my previous message in case it slipped through.",
        "Any thoughts on the below?",
        "Haven't heard back, so I thought I'd try once more.",
        "Did you see my email from last week?",
        "Just floating this back up.",
    ],
    "fu_angle": [
        "One more thought:",
        "To add a bit of context:",
        "Quick recap:",
        "Maybe a different angle:",
        "In short:",
    ],
    "fu_cta": [
        "Does {weekday} work for a short call?",
        "Is this a priority for you this quarter?",
        "Should I reach out to someone else on your team instead?",
        "Would a quick call make sense?",
        "Let me know either way!",
    ],
    "fu_break": [
        "I haven't heard back, so I'll assume the timing isn't right. This will be my last email - if anything changes, you know where to find me.",
        "I've reached out a few times without luck, so I'll stop here. Should I close your file?",
        "Last try! If growing your pipeline isn't a focus right now, no worries at all - just let me know and I'll stop following up.",
        "Breaking up is hard to do... I'll take your silence as a 'not now'.",
    ],
    "fu_calendar": [
        "I took the liberty of sending a calendar hold for {weekday} - feel free to move it or decline.",
        "I've put 15 minutes in your calendar for {weekday}; if that doesn't work, just propose another time.",
    ],
    "li_open": [
        "Thanks for connecting on LinkedIn!",
        "Great to be connected, {first}.",
        "Thanks for accepting my invitation - I'd love to learn more about {company}.",
        "Appreciate the connection!",
    ],
    # -- the users' replies -----------------------------------------------------------------------------
    "r_decline": [
        "Not interested, thanks.",
        "Please remove me from your list.",
        "Hi, we're not interested. Please don't contact me again.",
        "No thank you - we have this covered in-house.",
        "Thanks, but this isn't something we need. Please take me off your mailing list.",
        "Not relevant for us. Unsubscribe please.",
    ],
    "r_engage": [
        "Thanks for reaching out - this is actually timely. Could you send over pricing?",
        "Sounds interesting. Can you share a couple of case studies and some times for a call next week?",
        "Hi, yes, we're looking at this right now. What would a pilot look like?",
        "Happy to have a quick chat. {weekday} afternoon works for me.",
    ],
    "sign_user": [
        "Best,\n{me_first}",
        "Thanks,\n{me_first}",
        "Cheers,\n{me_first}",
        "Best regards,\n{me}\n{my_company}",
        "{me_first}",
    ],
    # -- a pitcher the user engaged with: wanted ----------------------------------------------------------
    "e_reply": [
        "Thanks for getting back to me, {first}! I've attached our pricing sheet and two case studies. Does {weekday} at 10:00 work for a call?",
        "Great to hear from you. A pilot would run for four weeks with one of your teams; I've put the details in the attached PDF.",
        "Thanks {first}, {weekday} afternoon works. I'll send an invite for 14:00 - let me know if another time is better.",
    ],
    "e_nudge": [
        "Just checking whether you had a chance to look at the proposal I sent. Happy to walk your team through it.",
        "Following up on our call - did the numbers make sense for your budget?",
        "Any questions on the pricing? I can hold the pilot slot until the end of the month.",
    ],
    # -- customers, applicants, press, leads, vendors: wanted even when they nudge --------------------------
    "cu_subject": [
        "{product} dashboard not loading",
        "Urgent: reports failing since this morning",
        "Outage? Can't log in to {product}",
        "Data sync stopped working",
        "Ticket {ticket}: exports broken",
    ],
    "cu_first": [
        "Hi {first},\n\nsince about 9:00 this morning none of our dashboards in {product} load - we just get a spinning wheel. Our management meeting is at 2pm and we need the numbers. Can you check?\n\nThanks,\n{me}\n{my_company}",
        "Hello,\n\nour nightly data sync has failed three nights in a row and the reports show last week's figures. Is there a known issue on your side?\n\nRegards,\n{me}",
        "Hi {first},\n\nwe can't log in to {product} at all - the SSO page throws an error 500. This is blocking the whole finance team.\n\n{me}\n{my_company}",
    ],
    "cu_nudge": [
        "Hi {first}, any update on this? We're still unable to access our reports.",
        "Following up on my email from this morning - the dashboards are still down for us.",
        "Sorry to chase, but is anyone looking at this? It's still broken on our end.",
        "Hi again, just checking whether you received my message below. Still no data.",
    ],
    "cu_nudge2": [
        "This is the third time I'm writing about this. We have been without reports for two days now. Please call me on {phone} as soon as possible.",
        "I still haven't heard anything. Can you please escalate this? Our board meeting is tomorrow.",
        "Still down. Could someone from your support team get back to me today, please?",
    ],
    "cu_thanks": [
        "Thanks, it's working again. Appreciate the quick fix!",
        "Confirmed, the dashboards load now. Thanks for sorting it out.",
    ],
    "u_support_reply": [
        "Hi {first},\n\nthanks for letting us know - we're looking into it right now and I'll update you within the hour.",
        "Hi {first},\n\nsorry about that. Our engineers found the cause and a fix is being deployed; it should be back within 30 minutes.",
        "Hi {first},\n\nI've escalated this to our on-call team. I'll get back to you as soon as I know more.",
    ],
    "ap_subject": [
        "Application: {role}",
        "{role} position - {me}",
        "Applying for the {role} role",
        "My application for {role}",
    ],
    "ap_first": [
        "Dear {first},\n\nI'm writing to apply for the {role} position advertised on your website. I have four years of experience with Python, SQL and dbt, most recently at a fintech in Manchester. My CV and portfolio are attached.\n\nI'd welcome the chance to talk.\n\nKind regards,\n{me}",
        "Hello {first},\n\nplease find attached my application for the {role} role. I graduated in statistics last year and have since been working on forecasting models for a retailer.\n\nBest wishes,\n{me}",
    ],
    "ap_nudge": [
        "Dear {first},\n\nI just wanted to follow up on my application for the {role} position. I'm still very interested and happy to provide any further information.\n\nBest,\n{me}",
        "Hi {first}, I hope you're well. I wanted to check whether you've had a chance to review my application. Thank you for your time!",
        "Hello again - I haven't heard back yet and wanted to make sure my application arrived. Many thanks, {me_first}",
    ],
    "u_ap_reply": [
        "Hi {first},\n\nthanks for your application - we're reviewing all candidates this week and will get back to you by Friday."
    ],
    "jo_subject": [
        "Press inquiry: data and AI in retail",
        "Request for comment - {outlet}",
        "Interview request from {outlet}",
        "Quick question for a story on analytics",
    ],
    "jo_first": [
        "Hi {first},\n\nI'm a reporter at {outlet} working on a piece about how mid-sized retailers use analytics. Would you or someone at {company} be available for a 15-minute interview before {weekday}?\n\nBest,\n{me}\n{outlet}",
        "Hello,\n\nI'm writing a story for {outlet} on the recent data protection ruling and would love a comment from {company}. My deadline is {weekday} noon.\n\nThanks,\n{me}",
    ],
    "jo_nudge": [
        "Hi {first}, just following up on my request below - my deadline is tomorrow. Even a two-line quote would help.",
        "Checking in once more in case this got lost. Would still love to include {company} in the piece.",
    ],
    "le_subject": [
        "Quote request for {product}",
        "Pricing for 40 users?",
        "Interested in {product} for our team",
        "Question about your enterprise plan",
    ],
    "le_first": [
        "Hi,\n\nwe're evaluating analytics tools for our 40-person sales team and {product} came up. Could you send a quote and let me know if you offer a trial?\n\nThanks,\n{me}\n{my_company}",
        "Hello {first},\n\nwe met briefly at the trade fair. We'd like to get pricing for {product} for around 25 users, ideally with SSO.\n\nBest regards,\n{me}",
    ],
    "le_nudge": [
        "Hi {first}, any news on the quote? We'd like to decide by the end of the month.",
        "Following up on my request - are you able to send pricing this week?",
        "Hi, just checking in on this. Our budget meeting is on {weekday}.",
    ],
    "u_le_reply": [
        "Hi {first},\n\nthanks for your interest! I've attached a quote for 40 seats; the trial can start whenever you like."
    ],
    "ve_subject": [
        "Your request via our website",
        "Re: Contact form - {product} integration",
        "Your quote request #{ticket}",
        "Following up on your inquiry",
    ],
    "ve_first": [
        "Hi {first},\n\nthank you for filling out the contact form on our website yesterday. You asked about pricing for our data warehouse connector - I've attached the quote for the Business plan. Let me know if you have any questions.\n\nBest,\n{me}\n{my_company}",
        "Hello {first},\n\nthanks for your inquiry through our website regarding standing desks for your new office. Attached is our offer for 20 units, including delivery and assembly.\n\nKind regards,\n{me}",
    ],
    "ve_nudge": [
        "Hi {first}, I wanted to follow up on the quote I sent last week in response to your web request. Does it meet your needs?",
        "Just checking in on your inquiry - happy to adjust the offer if the numbers don't fit.",
    ],
    "fr_subject": [
        "lunch?",
        "coffee Thursday?",
        "quick one",
        "thanks for yesterday",
        "drinks Friday?",
        "hey",
    ],
    "fr_reply": [
        "Sounds good!",
        "Sure, 12:30?",
        "Yes please - see you then.",
        "Can't this week, next Tuesday?",
        "Thanks, will do.",
    ],
    "fr_body": [
        "Hi {first}, lunch?",
        "Hey {first}, coffee on Thursday? I'm in town.",
        "Thanks for yesterday, it was great to catch up!",
        "Drinks on Friday after work? Usual place.",
        "Are you around next week? Would be good to catch up.",
        "Hi {first}, happy birthday! Hope you have a great day.",
    ],
    "pa_subject": [
        "Contract renewal",
        "Notes from today's call",
        "Data delivery for Q4",
        "Next steps on the integration",
        "Workshop agenda",
    ],
    "pa_out": [
        "Hi {first},\n\ngreat talking today. As discussed, I've attached the draft renewal - could you have a look by {weekday}?",
        "Hi {first},\n\nhere are my notes from our call. Let me know if I missed anything.",
        "Hi {first},\n\ncould you send us the Q4 data extract when it's ready? Same format as last time works.",
    ],
    "pa_in": [
        "Hi {first},\n\nthanks, looks good to me. I've added two comments on section 4; otherwise we're ready to sign.",
        "Thanks {first}, all clear. I'll send the file on {weekday}.",
        "Hi {first},\n\nattached is the extract. Shout if anything looks off.",
    ],
    "nc_subject": [
        "Great to meet you at the summit",
        "Slides from the Data Leaders Summit",
        "Following up from the conference",
        "Nice meeting you in Amsterdam",
    ],
    "nc_body": [
        "Hi {first},\n\ngreat to meet you at the summit yesterday - here are the slides from my talk, as promised. The part on data contracts starts at slide 14.\n\nBest,\n{me}",
        "Hi {first},\n\nit was a pleasure chatting at the conference dinner. As promised, attached are the slides and the link to the paper we discussed.\n\nCheers,\n{me_first}",
        "Hi {first},\n\nthanks for connecting after the panel. Here's the deck I mentioned; would be great to swap notes on forecasting sometime.\n\n{me_first}",
    ],
    "nc_reply": [
        "Thanks {first}, great meeting you too! Will have a look this week.",
        "Thanks for the slides - really enjoyed your talk.",
    ],
    "li_accept_subject": [
        "{name} accepted your invitation",
        "You're now connected with {name}",
        "{first_of_name}, start a conversation with your new connection",
    ],
    "li_accept_body": [
        "{name} has accepted your invitation. Let's start a conversation.\n\nView profile: {link}\n\nYou are receiving Invitation notification emails.\nUnsubscribe: {link}\n\n© LinkedIn Corporation"
    ],
    "in_subject": [
        "Deck for Thursday",
        "Offsite planning",
        "Can you review?",
        "Q4 numbers",
        "Holiday cover",
        "Team lunch",
        "New starter next week",
    ],
    "in_body": [
        "Hi {first},\n\ncould you take a look at the deck before Thursday? Mostly slides 5-9.\n\nThanks,\n{me_first}",
        "Hey {first}, are you joining the offsite in Lisbon? Need numbers by Friday.",
        "Hi all,\n\nthe Q4 numbers are in the shared folder. Please check your team's lines by {weekday}.",
        "{first}, can you cover my calls on Monday? I'm out sick.",
        "Team lunch on Friday at 12:30 - who's in?",
    ],
    # -- bulk mail the users asked for --------------------------------------------------------------------
    "nl_names": [
        "The Data Brief",
        "Analytics Weekly",
        "Product Notes",
        "The Morning Dispatch",
        "Engineering Digest",
    ],
    "nl_subject": ["{nl} #{n}: {topic}", "This week: {topic}", "{topic} - and more", "{nl} | {topic}"],
    "nl_intro": [
        "Welcome to this week's issue.",
        "Here's what caught our eye this week.",
        "Thanks for reading - here's issue {n}.",
    ],
    "nl_item": [
        "Why data contracts are finally catching on",
        "Five dashboards we loved this month",
        "A practical guide to dbt tests",
        "What the new AI rules mean for analysts",
        "Interview: building a data team from scratch",
        "Events and meetups in November",
    ],
    "nl_footer": [
        "You're receiving this because you subscribed at {brand_host}. Unsubscribe or manage preferences: {link}"
    ],
    "tx_order_subject": [
        "Your order #{order} has been confirmed",
        "Order confirmation #{order}",
        "Thanks for your order!",
    ],
    "tx_order_body": [
        "Hi {first},\n\nthanks for your order #{order}. Total: {amount}. We'll email you when it ships.\n\nView your order: {link}"
    ],
    "tx_ship_subject": [
        "Your order #{order} is on its way",
        "Shipped: order #{order}",
        "Your parcel is out for delivery",
    ],
    "tx_ship_body": [
        "Good news, {first}! Your order #{order} has shipped and should arrive {weekday}. Track it here: {link}"
    ],
    "tx_invoice_subject": [
        "Your invoice {order} is available",
        "Receipt for your payment",
        "Invoice {order} from {brand}",
    ],
    "tx_invoice_body": [
        "Hello {first},\n\nyour invoice {order} for {amount} is now available in your account. Payment will be collected automatically.\n\n{link}"
    ],
    "tx_reset_subject": ["Reset your password", "Your sign-in code", "Security alert: new sign-in"],
    "tx_reset_body": [
        "Hi {first},\n\nwe received a request to reset your password. If this was you, use the link below within 30 minutes: {link}\n\nIf not, you can ignore this email."
    ],
    "ca_summary": [
        "HOLD: Q4 planning",
        "Quarterly business review",
        "1:1 {first} / {me_first}",
        "Project kickoff",
        "Data governance workshop",
    ],
    "ca_body": [
        "{me} has invited you to: {summary}\nWhen: {weekday} 10:00-11:00\nJoin: {link}",
        "Invitation: {summary}\n{weekday}, 14:00 - 15:00\nPlease accept or decline.",
        "Holding this slot for {summary} - agenda to follow.",
    ],
}
