"""Nederlandse zinnen, meerdere varianten per plek."""

BANK: dict[str, list[str]] = {
    "re": ["Re: ", "RE: ", "Antw: "],
    "weekdays": ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag"],
    "titles": ["Accountmanager", "Business Developer", "Oprichter", "Salesmanager", "Senior Consultant"],
    "subj_leadgen": [
        "Meer gekwalificeerde afspraken voor {company}",
        "{first}, 20 salesgesprekken per maand?",
        "Idee voor jullie acquisitie",
        "Nieuwe klanten voor {company}",
        "Een idee voor meer demo's",
    ],
    "subj_devshop": [
        "Extra developers voor {company}",
        "Je devteam uitbreiden zonder werving",
        "Senior developers vanaf € 30 per uur",
        "Korte vraag over jullie roadmap",
        "Je volgende developer kan maandag beginnen",
    ],
    "subj_seo": [
        "De vindbaarheid van {company}",
        "Even naar jullie website gekeken",
        "Gratis SEO-scan voor {company}",
        "Jullie site loopt bezoekers mis",
    ],
    "subj_recruiting": [
        "Op zoek naar data engineers?",
        "Kandidaten voor jullie vacatures",
        "Werving voor {company}",
    ],
    "subj_supplies": [
        "Toner en kantoorartikelen tot 30% goedkoper",
        "Jullie printercartridges",
        "Offerte kantoorartikelen voor {company}",
    ],
    "subj_saas": [
        "Rapportages bij {company} automatiseren",
        "AI-assistent voor jouw team?",
        "Maandafsluiting in de helft van de tijd",
        "Idee voor {company}",
    ],
    "greet": [
        "Hoi {first},",
        "Hallo {first},",
        "Beste {first},",
        "Goedemiddag {first},",
        "Geachte heer/mevrouw,",
        "Hé {first},",
        "Dag {first},",
    ],
    "open": [
        "ik kwam {company} tegen op LinkedIn en was onder de indruk van wat jullie bouwen.",
        "ik houd het kort, want je inbox zit vast vol.",
        "ik zag dat {company} meerdere vacatures heeft openstaan, dat betekent meestal groei.",
        "tijdens mijn zoektocht naar analyticsbedrijven in Utrecht kwam ik bij jullie uit.",
        "we werken met veel bedrijven die lijken op {company}.",
        "hopelijk heb je een goede start van de week gehad.",
        "korte vraag: ben jij bij {company} verantwoordelijk voor sales?",
        "ik weet niet zeker of jij de juiste persoon bent, maar ik probeer het toch.",
        "wij helpen datateams zoals dat van jullie met één specifiek probleem.",
    ],
    "value_leadgen": [
        "Wij plannen gekwalificeerde salesafspraken direct in je agenda, en je betaalt alleen voor afspraken die echt doorgaan.",
        "Ons team verzorgt de volledige acquisitie via e-mail en LinkedIn; gemiddeld levert dat 15 tot 25 gesprekken per maand op.",
        "We stellen lijsten met beslissers in jullie doelgroep samen en doen de hele benadering voor jullie.",
        "We combineren koopsignalen met persoonlijke benadering, zodat jullie sales alleen praat met klanten die echt willen kopen.",
    ],
    "value_devshop": [
        "Wij leveren ervaren developers vanuit onze teams in Boekarest en Lviv, die binnen een week meedraaien.",
        "Onze vaste teams (React, .NET, Python) kosten ongeveer de helft van een vaste kracht en zijn per maand op- of af te schalen.",
        "Of het nu om een MVP gaat of extra handen voor jullie product: binnen tien dagen staat er een compleet team.",
        "Onze developers werken in jullie tijdzone en direct in jullie Jira, Slack en GitHub.",
    ],
    "value_seo": [
        "Ik heb een snelle scan van jullie website gedaan en een paar technische fouten gevonden die jullie waarschijnlijk bezoekers kosten.",
        "Jullie concurrenten scoren beter op een aantal belangrijke zoekwoorden, en dat is binnen een paar maanden te verhelpen.",
        "We zijn gespecialiseerd in linkbuilding en on-page optimalisatie voor B2B-bedrijven.",
        "Op dit moment staat {company} niet op pagina 1 voor 'data-analyse bureau Utrecht' – jullie concurrenten wel.",
    ],
    "value_recruiting": [
        "We hebben momenteel een aantal gescreende data engineers en analisten die openstaan voor een nieuwe stap.",
        "Onze recruiters zijn gespecialiseerd in data-profielen en vullen de meeste vacatures binnen drie weken.",
        "We werken op no cure, no pay-basis: geen kosten als je niemand aanneemt.",
        "Twee kandidaten die ik in gedachten heb, hebben al dataplatforms gebouwd bij scale-ups en kunnen binnen een maand beginnen.",
    ],
    "value_supplies": [
        "Wij leveren compatibele toner en inkt voor alle grote printermerken, tot 30% onder de gangbare prijs.",
        "Volgende werkdag geleverd: papier, toner en kantoorartikelen, met één verzamelfactuur per maand.",
        "Deze maand: gratis verzending en 15% korting op je eerste bestelling.",
        "We kunnen gratis jullie printkosten doorlichten en laten zien waar je bespaart.",
    ],
    "value_saas": [
        "Ons platform automatiseert de wekelijkse rapportages die jullie analisten nu nog met de hand maken.",
        "We hebben een AI-assistent gebouwd die in een paar minuten klantrapporten opstelt uit jullie data.",
        "Het koppelt in ongeveer een uur aan jullie bestaande tools (Exact, HubSpot, Slack).",
        "De inrichting kost een dag en de meeste teams hebben dezelfde week hun eerste automatische rapport.",
    ],
    "proof": [
        "Onlangs hielpen we {client} om het aantal demo's in één kwartaal met {pct}% te verhogen.",
        "Bedrijven als {client} werken al met ons.",
        "",
    ],
    "cta": [
        "Heb je volgende week {weekday} 15 minuten voor een kort gesprek?",
        "Zin om even te sparren?",
        "Ben jij de juiste persoon om dit mee te bespreken?",
        "Zal ik een korte case study sturen?",
        'Antwoord met "JA" en ik stuur je de details.',
        "Heb je {weekday} of donderdag een kwartiertje?",
        "Wie is bij jullie de juiste persoon om dit mee te bespreken?",
        "Interesse in een gratis proefperiode?",
    ],
    "book": [
        "Plan hier direct een moment in: {booking}",
        "Als dat makkelijker is, hier is mijn agenda: {booking}",
    ],
    "sign": [
        "Met vriendelijke groet,\n{me}\n{title} | {my_company}",
        "Groet,\n{me_first}",
        "Hartelijke groet,\n{me}\n{my_company}\n{phone}",
        "Fijne dag!\n{me}",
    ],
    "ps": [
        "PS: Ben jij niet de juiste persoon? Laat me weten wie wel.",
        "P.S. Ik kan je ook een korte video sturen in plaats van te bellen.",
        "",
    ],
    "optout": [
        'Geen interesse? Stuur een kort "nee" en ik mail je niet meer.',
        "Geen e-mails meer ontvangen? Afmelden: {link}",
    ],
    "fwd": ["Fwd: ", "Doorst: ", "FW: "],
    "fwd_head": ["---------- Doorgestuurd bericht ---------"],
    "fu_resend": [
        "ik stuur mijn bericht hieronder nog een keer door, voor het geval het is ondergesneeuwd.",
        "hierbij nogmaals mijn mail van vorige week; ik hoor graag wat je ervan vindt.",
    ],
    "e_loop": [
        "bedankt voor je snelle reactie! Ik zet {colleague} in de cc, die bij jullie over data engineering gaat. Past {weekday} voor jullie allebei?",
        "dank je! Zoals voorgesteld heb ik {colleague} in de cc gezet en ik stuur jullie allebei de prijzen.",
    ],
    "fu_subject": [
        "Even opvolgen",
        "{first}?",
        "Korte follow-up",
        "Nog actueel?",
        "Laatste poging",
        "Heb je mijn mail gezien?",
        "Nogmaals",
        "{first}, wat vind je ervan?",
        "Nog een idee voor {company}",
        "Zal ik je dossier sluiten?",
    ],
    "fu_bump": [
        "ik wilde mijn vorige bericht nog even onder je aandacht brengen.",
        "heb je mijn laatste mail kunnen lezen?",
        "ik kom nog even terug op mijn bericht van vorige week.",
        "ik weet dat je het druk hebt, dus ik houd het kort.",
        "omdat ik nog niets van je heb gehoord, probeer ik het nog één keer.",
        "ik wilde je nog even herinneren aan mijn mail.",
        "korte reminder over mijn bericht hieronder.",
        "misschien komt het nu beter uit, daarom mail ik je nog een keer.",
    ],
    "fu_angle": ["Kort samengevat:", "Nog één gedachte:", "Ter context:"],
    "fu_cta": [
        "Past {weekday} voor een kort belletje?",
        "Staat dit dit kwartaal op jullie agenda?",
        "Kan ik beter contact opnemen met een collega van je?",
        "Laat even weten!",
        "Heb je 10 minuten?",
        "Komt volgende week misschien beter uit?",
        "Antwoord gewoon met 1) interesse, 2) nu niet, 3) niet de juiste persoon.",
    ],
    "fu_break": [
        "omdat ik niets terughoor, ga ik ervan uit dat de timing niet goed is. Dit is mijn laatste mail; als er iets verandert, weet je me te vinden.",
        "ik heb het een paar keer geprobeerd, dus ik stop hier. Zal ik je dossier sluiten?",
        "ik ga ervan uit dat dit nu geen prioriteit heeft en mail je hierna niet meer. Mijn agenda staat altijd open.",
    ],
    "fu_calendar": [
        "ik heb alvast een uitnodiging voor {weekday} gestuurd; verzetten of afslaan kan natuurlijk altijd."
    ],
    "li_open": [
        "bedankt voor het connecten op LinkedIn!",
        "leuk dat we nu connected zijn.",
        "bedankt voor het accepteren van mijn uitnodiging.",
    ],
    "r_decline": [
        "Geen interesse, bedankt.",
        "Haal me alsjeblieft van jullie lijst.",
        "Hallo, we hebben geen interesse. Neem alsjeblieft geen contact meer op.",
        "Nee, dank je, dat doen we intern.",
        "Geen interesse. Graag afmelden.",
    ],
    "r_engage": [
        "Bedankt voor je bericht, dit komt precies op tijd. Kun je me de prijzen sturen?",
        "Klinkt interessant. Heb je volgende week tijd voor een gesprek?",
        "Ja, we kijken hier nu naar. Hoe zou een pilot eruitzien?",
    ],
    "sign_user": ["Groet,\n{me_first}", "Met vriendelijke groet,\n{me}", "Dank!\n{me_first}"],
    "e_reply": [
        "bedankt voor je reactie! In de bijlage vind je onze prijslijst en twee cases. Past {weekday} om 10:00 voor een gesprek?",
        "leuk om van je te horen. Een pilot duurt vier weken met een van jullie teams; alle details staan in de bijgevoegde pdf.",
    ],
    "e_nudge": [
        "ik wilde even checken of je het voorstel hebt kunnen bekijken. Ik licht het graag toe aan je team.",
        "zijn er nog vragen over de prijzen? Ik houd de pilotplek tot het eind van de maand vrij.",
    ],
    "cu_subject": [
        "{product}: dashboards laden niet",
        "Urgent: rapporten geven fouten sinds vanochtend",
        "Storing? Inloggen bij {product} lukt niet",
        "Ticket {ticket}: export werkt niet",
    ],
    "cu_first": [
        "Hoi {first},\n\nsinds 9:00 vanochtend laadt geen enkel dashboard meer in {product}. Om 14:00 hebben we directieoverleg en we hebben de cijfers nodig. Kunnen jullie even kijken?\n\nBedankt,\n{me}\n{my_company}",
        "Goedemorgen,\n\nde nachtelijke synchronisatie mislukt al drie nachten op rij en de rapporten tonen nog de cijfers van vorige week. Is er een bekende storing?\n\nMet vriendelijke groet,\n{me}",
    ],
    "cu_nudge": [
        "Hoi {first}, is er al nieuws? We kunnen nog steeds niet bij onze rapporten.",
        "Ik kom er nog even op terug: de dashboards zijn bij ons nog steeds onbereikbaar.",
        "Sorry dat ik blijf mailen, maar kijkt er al iemand naar? Het werkt nog steeds niet.",
    ],
    "cu_nudge2": [
        "Dit is de derde keer dat ik mail. We zitten al twee dagen zonder rapporten. Bel me alsjeblieft zo snel mogelijk op {phone}.",
        "Nog steeds niets gehoord. Kunnen jullie dit escaleren? Morgen is onze RvC-vergadering.",
    ],
    "cu_thanks": [
        "Dank, alles werkt weer!",
        "Bevestigd, de dashboards laden weer. Bedankt voor de snelle hulp.",
    ],
    "u_support_reply": [
        "Hoi {first},\n\nbedankt voor de melding, we kijken er nu naar en ik laat binnen een uur iets weten.",
        "Hoi {first},\n\nexcuses voor het ongemak. De oorzaak is gevonden en de fix wordt nu uitgerold.",
    ],
    "ap_subject": ["Sollicitatie: {role}", "Sollicitatie {role} – {me}", "Jullie vacature {role}"],
    "ap_first": [
        "Beste {first},\n\nhierbij solliciteer ik naar de functie van {role} op jullie website. Ik heb vier jaar ervaring met Python, SQL en dbt, het laatst bij een fintech in Amsterdam. Mijn cv zit in de bijlage.\n\nIk ga graag in gesprek.\n\nMet vriendelijke groet,\n{me}",
        "Hallo {first},\n\nin de bijlage mijn sollicitatie voor de functie {role}. Ik ben vorig jaar afgestudeerd in statistiek en werk sindsdien aan voorspelmodellen.\n\nGroet,\n{me}",
    ],
    "ap_nudge": [
        "Beste {first},\n\nik wilde even informeren naar de stand van zaken rond mijn sollicitatie als {role}. Ik ben nog steeds erg geïnteresseerd.\n\nMet vriendelijke groet,\n{me}",
        "Hallo, ik wilde even checken of mijn sollicitatie goed is aangekomen. Alvast bedankt, {me_first}",
    ],
    "u_ap_reply": [
        "Hoi {first},\n\nbedankt voor je sollicitatie. We bekijken deze week alle kandidaten en laten voor vrijdag iets weten."
    ],
    "jo_subject": [
        "Persvraag: data in de retail",
        "Interviewverzoek – {outlet}",
        "Voor een artikel in {outlet}",
    ],
    "jo_first": [
        "Hoi {first},\n\nik ben journalist bij {outlet} en werk aan een stuk over hoe middelgrote retailers data gebruiken. Heb jij of iemand van {company} voor {weekday} tijd voor een kort interview?\n\nGroet,\n{me}",
        "Goedemiddag,\n\nvoor een artikel in {outlet} over de recente privacyuitspraak zou ik graag een reactie van {company} hebben. Mijn deadline is {weekday} 12:00.\n\nDank,\n{me}",
    ],
    "jo_nudge": [
        "Hoi {first}, ik kom nog even terug op mijn verzoek: mijn deadline is morgen. Twee zinnen zijn al genoeg.",
        "Nog even opnieuw, voor het geval mijn mail is ondergesneeuwd.",
    ],
    "le_subject": ["Offerteaanvraag {product}", "Prijs voor 40 gebruikers?", "Interesse in {product}"],
    "le_first": [
        "Hallo,\n\nwe zoeken een analysetool voor ons salesteam van 40 mensen en {product} werd ons aangeraden. Kunnen jullie een offerte sturen? Is er een proefperiode?\n\nBedankt,\n{me}\n{my_company}",
        "Hoi {first},\n\nwe spraken elkaar kort op de beurs. We willen graag een offerte voor {product} voor zo'n 25 gebruikers met SSO.\n\nGroet,\n{me}",
    ],
    "le_nudge": [
        "Hoi {first}, is er al nieuws over de offerte? We willen voor het eind van de maand beslissen.",
        "Ik vraag nog even naar de offerte: ons budgetoverleg is op {weekday}.",
    ],
    "u_le_reply": [
        "Hoi {first},\n\nbedankt voor jullie interesse! In de bijlage de offerte voor 40 licenties; de proefperiode kan starten wanneer jullie willen."
    ],
    "ve_subject": ["Je aanvraag via onze website", "Je offerte nr. {ticket}", "Reactie op je aanvraag"],
    "ve_first": [
        "Hoi {first},\n\nbedankt voor het invullen van het contactformulier op onze website. Zoals gevraagd vind je in de bijlage de offerte voor de connector in het Business-abonnement.\n\nGroet,\n{me}\n{my_company}",
        "Beste {first},\n\nnaar aanleiding van je aanvraag over zit-sta-bureaus stuur ik je onze offerte voor 20 stuks, inclusief levering en montage.\n\nMet vriendelijke groet,\n{me}",
    ],
    "ve_nudge": [
        "Hoi {first}, ik wilde even checken of onze offerte aansluit bij je aanvraag.",
        "Als er iets aangepast moet worden aan de offerte, laat het gerust weten.",
    ],
    "fr_subject": ["lunch?", "koffie?", "vraagje", "bedankt voor gisteren", "borrel vrijdag?"],
    "fr_reply": [
        "Goed plan!",
        "Prima, 12:30?",
        "Top, tot dan.",
        "Deze week niet, volgende dinsdag?",
        "Dank, doe ik.",
    ],
    "fr_body": [
        "Hoi {first}, lunchen?",
        "Hé {first}, koffie op donderdag? Ik ben in de stad.",
        "Bedankt voor gisteren, was gezellig!",
        "Borrel vrijdag na het werk?",
        "Gefeliciteerd met je verjaardag, {first}!",
    ],
    "pa_subject": [
        "Contractverlenging",
        "Aantekeningen van het gesprek",
        "Datalevering Q4",
        "Volgende stappen integratie",
    ],
    "pa_out": [
        "Hoi {first},\n\nbedankt voor het gesprek vandaag. Zoals besproken het concept van de verlenging in de bijlage; lukt het om er voor {weekday} naar te kijken?",
        "Hoi {first},\n\nkunnen jullie ons de Q4-export sturen zodra die klaar is? Zelfde formaat als vorige keer.",
    ],
    "pa_in": [
        "Hoi {first},\n\nbedankt, voor ons is het akkoord. Twee opmerkingen bij artikel 4, verder kunnen we tekenen.",
        "Dank {first}, helder. Het bestand komt {weekday}.",
    ],
    "nc_subject": [
        "Leuk je te ontmoeten op het congres",
        "Slides van de Data Summit",
        "Naar aanleiding van de conferentie",
    ],
    "nc_body": [
        "Hoi {first},\n\nleuk dat we elkaar gisteren op de summit hebben ontmoet; hier zoals beloofd de slides van mijn praatje.\n\nGroet,\n{me}",
        "Hoi {first},\n\nbedankt voor het gesprek tijdens het congresdiner. In de bijlage de slides en de link naar het paper waar we het over hadden.\n\n{me_first}",
    ],
    "nc_reply": ["Dank {first}, leuk je te ontmoeten! Ik kijk er deze week naar."],
    "li_accept_subject": ["{name} heeft je uitnodiging geaccepteerd", "Je bent nu connectie van {name}"],
    "li_accept_body": [
        "{name} heeft je uitnodiging geaccepteerd. Begin een gesprek.\n\nProfiel bekijken: {link}\n\nJe ontvangt e-mails over uitnodigingen.\nAfmelden: {link}\n\n© LinkedIn Corporation"
    ],
    "in_subject": [
        "Slides voor donderdag",
        "Teamuitje",
        "Wil je meekijken?",
        "Q4-cijfers",
        "Vakantievervanging",
    ],
    "in_body": [
        "Hoi {first},\n\nkun je voor donderdag even naar de slides kijken? Vooral 5 tot 9.\n\nDank,\n{me_first}",
        "Hoi allemaal,\n\nde Q4-cijfers staan in de gedeelde map. Check je eigen regels voor {weekday}.",
        "{first}, kun jij maandag mijn calls overnemen? Ik ben ziek.",
    ],
    "nl_names": ["De Databrief", "Analytics Weekblad", "Productnieuws", "Tech Update"],
    "nl_subject": ["{nl} #{n}: {topic}", "Deze week: {topic}", "{topic} en meer"],
    "nl_intro": [
        "Welkom bij een nieuwe editie.",
        "Dit viel ons deze week op.",
        "Bedankt voor het lezen, hier is editie {n}.",
    ],
    "nl_promo": [
        "Webinar op {weekday}: voorspellen met moderne dataplatforms – schrijf je in",
        "Nieuw: onze voorspelmodule is live. Plan een demo",
        "20% korting op jaarabonnementen tot vrijdag",
        "Laatste kans op early-bird tickets voor onze gebruikersdag",
    ],
    "nl_item": [
        "Waarom datacontracten doorbreken",
        "Vijf dashboards waar we van genoten",
        "Wat de AI-verordening betekent voor analisten",
        "Evenementen in november",
    ],
    "nl_footer": [
        "Je ontvangt deze nieuwsbrief omdat je je hebt aangemeld op {brand_host}. Afmelden: {link}"
    ],
    "tx_order_subject": ["Je bestelling {order} is bevestigd", "Orderbevestiging {order}"],
    "tx_order_body": [
        "Hoi {first},\n\nbedankt voor je bestelling {order}. Totaalbedrag: {amount}. We laten het weten zodra hij verzonden is.\n\nBekijk je bestelling: {link}"
    ],
    "tx_ship_subject": ["Je bestelling {order} is verzonden", "Je pakket is onderweg"],
    "tx_ship_body": [
        "Goed nieuws, {first}! Je bestelling {order} is onderweg en wordt naar verwachting {weekday} bezorgd. Volg je pakket: {link}"
    ],
    "tx_invoice_subject": ["Je factuur {order}", "Betalingsbewijs", "Factuur {order} van {brand}"],
    "tx_invoice_body": [
        "Beste {first},\n\nje factuur {order} van {amount} staat klaar in je account. Het bedrag wordt automatisch afgeschreven.\n\n{link}"
    ],
    "tx_reset_subject": [
        "Stel je wachtwoord opnieuw in",
        "Je inlogcode",
        "Beveiligingsmelding: nieuwe aanmelding",
    ],
    "tx_reset_body": [
        "Hoi {first},\n\nwe hebben een verzoek ontvangen om je wachtwoord opnieuw in te stellen. De link is 30 minuten geldig: {link}\n\nWas jij dit niet? Dan kun je deze e-mail negeren."
    ],
    "ca_summary": [
        "BLOKKADE: Q4-planning",
        "Kwartaalreview",
        "1-op-1 {first} / {me_first}",
        "Kick-off project",
    ],
    "ca_body": [
        "{me} heeft je uitgenodigd voor: {summary}\nWanneer: {weekday} 10:00-11:00\nDeelnemen: {link}",
        "Uitnodiging: {summary}\n{weekday}, 14:00 - 15:00\nGraag accepteren of afwijzen.",
        "Ik blok dit moment alvast voor {summary}; agenda volgt.",
    ],
}
