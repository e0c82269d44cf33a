"""Deutsche Bausteine, mehrere Varianten pro Platz."""

BANK: dict[str, list[str]] = {
    "re": ["AW: ", "Re: ", "AW: "],
    "weekdays": ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag"],
    "titles": [
        "Key Account Manager",
        "Geschäftsführer",
        "Vertriebsleiter",
        "Business Development",
        "Senior Berater",
        "Inhaber",
    ],
    "subj_leadgen": [
        "Mehr qualifizierte Termine für {company}",
        "Neukunden für {company} – planbar",
        "{first}, 20 Vertriebsgespräche pro Monat?",
        "Kurze Idee zu Ihrem Vertrieb",
        "Termine statt Kaltakquise",
        "Mehr Demo-Termine – eine Idee",
    ],
    "subj_devshop": [
        "Entwickler-Kapazität für {company}",
        "Ihr Dev-Team verstärken – ohne Recruiting",
        "Senior-Entwickler ab 35 €/h",
        "Kurze Frage zu Ihrer Roadmap",
        "Ihr nächster Entwickler könnte Montag starten",
    ],
    "subj_seo": [
        "Ihre Website bei Google",
        "Kurzer Blick auf Ihre Website",
        "SEO-Check für {company} (kostenlos)",
        "3 Gründe, warum Sie Besucher verlieren",
    ],
    "subj_recruiting": [
        "Data Engineers gesucht?",
        "Passende Kandidaten für Ihre offenen Stellen",
        "Unterstützung bei der Personalsuche",
        "Ihre Stelle als Data Scientist",
    ],
    "subj_supplies": [
        "Toner und Bürobedarf bis zu 30 % günstiger",
        "Ihre Druckerpatronen",
        "Angebot Bürobedarf für {company}",
        "Druckkosten senken",
    ],
    "subj_saas": [
        "Reporting bei {company} automatisieren",
        "KI-Assistent für Ihr Team?",
        "Monatsabschluss in der Hälfte der Zeit",
        "Idee für {company}",
    ],
    "greet": [
        "Hallo {first},",
        "Guten Tag {first},",
        "Guten Tag {first} {last},",
        "Sehr geehrte Damen und Herren,",
        "Moin {first},",
        "Hi {first},",
        "Liebe/r {first},",
        "Servus {first},",
    ],
    "open": [
        "ich bin auf LinkedIn auf {company} aufmerksam geworden und finde spannend, woran Ihr Team arbeitet.",
        "ich mache es kurz, da Ihr Postfach sicher voll ist.",
        "mir ist aufgefallen, dass {company} gerade mehrere Stellen ausgeschrieben hat – das spricht für Wachstum.",
        "bei meiner Recherche zu Analytics-Anbietern in Berlin bin ich auf Ihr Unternehmen gestoßen.",
        "ich hoffe, Sie hatten einen guten Start in die Woche.",
        "wir arbeiten mit vielen Unternehmen, die ähnlich aufgestellt sind wie {company}.",
        "kurze Frage vorab: Sind Sie bei {company} für Vertrieb und Marketing zuständig?",
        "ich bin nicht sicher, ob Sie der richtige Ansprechpartner sind, wollte mich aber trotzdem melden.",
        "wir unterstützen Analytics-Teams wie Ihres bei genau einem Problem.",
    ],
    "value_leadgen": [
        "Wir vereinbaren qualifizierte Vertriebstermine direkt in Ihrem Kalender – Sie zahlen nur für Termine, die tatsächlich stattfinden.",
        "Unser Team übernimmt die komplette Neukundenakquise per E-Mail und LinkedIn, im Schnitt kommen 15 bis 25 Erstgespräche pro Monat zustande.",
        "Wir recherchieren Entscheider in Ihrer Zielgruppe und übernehmen die gesamte Ansprache für Sie.",
        "Wir verbinden Kaufsignale mit persönlicher Ansprache, sodass Ihr Vertrieb nur mit Interessenten spricht, die wirklich kaufen wollen.",
    ],
    "value_devshop": [
        "Wir stellen erfahrene Entwickler aus unseren Teams in Krakau und Kiew, die sich innerhalb einer Woche in Ihre Prozesse einarbeiten.",
        "Unsere dedizierten Teams (React, Java, Python) kosten etwa die Hälfte einer Festanstellung und sind monatlich skalierbar.",
        "Ob MVP oder Verstärkung für Ihr bestehendes Produkt – wir stellen ein komplettes Team in unter zehn Tagen.",
        "Unsere Entwickler arbeiten in Ihrer Zeitzone und direkt in Ihrem Jira, Slack und GitLab.",
    ],
    "value_seo": [
        "Ich habe Ihre Website kurz analysiert und einige technische Fehler gefunden, die Sie vermutlich Sichtbarkeit bei Google kosten.",
        "Ihre Wettbewerber ranken bei mehreren wichtigen Suchbegriffen vor Ihnen – das lässt sich in wenigen Monaten ändern.",
        "Wir sind auf nachhaltigen Linkaufbau und OnPage-Optimierung für B2B-Unternehmen spezialisiert.",
        "Aktuell erscheint {company} bei „Datenanalyse Beratung Berlin“ nicht auf Seite 1 – Ihre Wettbewerber schon.",
    ],
    "value_recruiting": [
        "Wir haben aktuell mehrere geprüfte Data Engineers und Analysten, die offen für einen Wechsel sind.",
        "Unsere Personalberater sind auf Data & Analytics spezialisiert und besetzen die meisten Positionen in unter drei Wochen.",
        "Wir arbeiten rein erfolgsbasiert – es entstehen Ihnen nur Kosten, wenn Sie einstellen.",
        "Zwei der Kandidaten, die ich im Kopf habe, haben bereits Datenplattformen bei Scale-ups aufgebaut und könnten in einem Monat starten.",
    ],
    "value_supplies": [
        "Wir liefern kompatiblen Toner und Tinte für alle gängigen Druckermarken bis zu 30 % unter dem üblichen Preis.",
        "Lieferung am nächsten Werktag für Papier, Toner und Büromaterial – mit einer Sammelrechnung pro Monat.",
        "Diesen Monat gibt es bei uns versandkostenfreie Lieferung und 15 % Rabatt auf die erste Bestellung.",
        "Gern prüfen wir Ihre aktuellen Druckkosten kostenlos und zeigen Ihnen, wo Sie sparen.",
    ],
    "value_saas": [
        "Unsere Plattform automatisiert das wöchentliche Reporting, das Ihre Analysten heute von Hand erstellen.",
        "Wir haben einen KI-Assistenten entwickelt, der Kundenberichte in wenigen Minuten aus Ihren Daten erstellt.",
        "Die Anbindung an Ihre bestehenden Systeme (DATEV, SAP, HubSpot) dauert etwa eine Stunde.",
        "Die Einrichtung dauert einen Tag, den ersten automatischen Bericht haben die meisten Teams in derselben Woche.",
    ],
    "proof": [
        "Für {client} konnten wir die Anzahl der Demo-Termine in einem Quartal um {pct} % steigern.",
        "Unternehmen wie {client} arbeiten bereits erfolgreich mit uns.",
        "{client} hat bereits in den ersten 60 Tagen {pct} % mehr Anfragen erhalten.",
        "",
    ],
    "cta": [
        "Hätten Sie nächste Woche am {weekday} 15 Minuten Zeit für ein kurzes Gespräch?",
        "Wäre das grundsätzlich interessant für Sie?",
        "Sind Sie dafür der richtige Ansprechpartner?",
        "Darf ich Ihnen eine kurze Fallstudie schicken?",
        "Lohnt sich ein kurzer Austausch?",
        "Antworten Sie einfach mit „Ja“, dann schicke ich Ihnen die Details.",
        "Hätten Sie am {weekday} oder Donnerstag kurz Zeit?",
        "Wer wäre bei Ihnen der richtige Ansprechpartner dafür?",
        "Interesse an einem kostenlosen Test?",
    ],
    "book": [
        "Hier können Sie direkt einen Termin wählen: {booking}",
        "Gerne auch direkt über meinen Kalender: {booking}",
        "Terminbuchung: {booking}",
    ],
    "sign": [
        "Beste Grüße\n{me}\n{title} | {my_company}",
        "Viele Grüße\n{me_first}",
        "Mit freundlichen Grüßen\n{me}\n{my_company}\nTel. {phone}",
        "Herzliche Grüße aus Hamburg\n{me}",
    ],
    "ps": [
        "PS: Falls Sie nicht zuständig sind – wer wäre der richtige Ansprechpartner?",
        "P.S. Gerne schicke ich Ihnen statt eines Anrufs ein kurzes Video.",
        "",
    ],
    "optout": [
        "Kein Interesse? Eine kurze Antwort genügt, dann melde ich mich nicht mehr.",
        "Sie möchten keine weiteren E-Mails erhalten? Hier abmelden: {link}",
    ],
    "fwd": ["WG: ", "Fwd: ", "WG: "],
    "fwd_head": ["---------- Weitergeleitete Nachricht ----------"],
    "fu_resend": [
        "ich schicke Ihnen meine Nachricht unten noch einmal, falls sie untergegangen ist.",
        "anbei noch einmal meine Mail von letzter Woche – ich freue mich auf Ihre Einschätzung.",
    ],
    "e_loop": [
        "danke für die schnelle Rückmeldung! Ich nehme {colleague} mit in CC, die/der bei Ihnen das Thema Data Engineering verantwortet. Passt Ihnen beiden {weekday}?",
        "vielen Dank! Wie vorgeschlagen habe ich {colleague} in Kopie gesetzt und schicke Ihnen beiden die Preise.",
    ],
    "fu_subject": [
        "Kurze Nachfrage",
        "{first}?",
        "Nachfassen",
        "Noch aktuell?",
        "Letzter Versuch",
        "Haben Sie meine Mail gesehen?",
        "Noch einmal",
        "{first}, kurze Rückmeldung?",
        "Eine weitere Idee für {company}",
        "Soll ich die Anfrage schließen?",
    ],
    "fu_bump": [
        "ich wollte meine letzte Nachricht noch einmal nach oben holen.",
        "haben Sie meine E-Mail von letzter Woche gesehen?",
        "ich melde mich noch einmal kurz zu meiner Nachricht unten.",
        "ich weiß, Sie haben viel um die Ohren – deshalb nur ganz kurz.",
        "da ich noch nichts von Ihnen gehört habe, versuche ich es noch einmal.",
        "nur eine kurze Erinnerung an meine Mail von neulich.",
        "ich wollte mich noch einmal in Erinnerung rufen.",
        "kurzes Nachhaken zu meiner Mail unten.",
        "vielleicht passt der Zeitpunkt jetzt besser – deshalb melde ich mich noch einmal.",
    ],
    "fu_angle": ["Kurz zusammengefasst:", "Noch ein Gedanke:", "Zur Einordnung:"],
    "fu_cta": [
        "Passt Ihnen {weekday} für ein kurzes Telefonat?",
        "Ist das Thema für Sie in diesem Quartal relevant?",
        "Soll ich mich lieber an eine Kollegin oder einen Kollegen wenden?",
        "Geben Sie mir gerne kurz Bescheid.",
        "Sind 10 Minuten drin?",
        "Passt es vielleicht nächste Woche besser?",
        "Eine kurze Antwort genügt: 1) Interesse, 2) gerade nicht, 3) falscher Ansprechpartner.",
    ],
    "fu_break": [
        "da ich bisher keine Rückmeldung erhalten habe, gehe ich davon aus, dass das Thema gerade nicht passt. Das ist meine letzte Nachricht – melden Sie sich gern, falls sich etwas ändert.",
        "ich habe es jetzt mehrmals versucht und möchte nicht weiter stören. Soll ich Ihre Anfrage schließen?",
        "letzter Versuch: Wenn Neukundengewinnung gerade kein Thema ist, sagen Sie einfach kurz Bescheid.",
        "ich gehe davon aus, dass das Thema aktuell keine Priorität hat, und melde mich nach dieser Mail nicht mehr. Mein Kalender steht Ihnen jederzeit offen.",
    ],
    "fu_calendar": [
        "ich habe uns vorsorglich einen Termin am {weekday} eingetragen – verschieben oder absagen ist natürlich jederzeit möglich."
    ],
    "li_open": [
        "vielen Dank für die Vernetzung auf LinkedIn!",
        "danke, dass Sie meine Kontaktanfrage angenommen haben.",
        "schön, dass wir jetzt vernetzt sind.",
    ],
    "r_decline": [
        "Kein Interesse, danke.",
        "Bitte nehmen Sie mich aus Ihrem Verteiler.",
        "Vielen Dank, aber wir haben kein Interesse. Bitte kontaktieren Sie mich nicht mehr.",
        "Das deckt unser Team intern ab, danke.",
        "Bitte keine weiteren E-Mails.",
    ],
    "r_engage": [
        "Danke für die Nachricht, das passt tatsächlich gerade. Können Sie mir Preise schicken?",
        "Klingt interessant. Haben Sie nächste Woche Zeit für ein kurzes Gespräch?",
        "Ja, wir schauen uns das Thema gerade an. Wie sähe ein Pilotprojekt aus?",
    ],
    "sign_user": ["Viele Grüße\n{me_first}", "Beste Grüße\n{me}", "Gruß\n{me_first}", "VG {me_first}"],
    "e_reply": [
        "vielen Dank für Ihre Rückmeldung! Anbei unsere Preisliste und zwei Fallstudien. Passt Ihnen {weekday} um 10 Uhr für ein Gespräch?",
        "schön, von Ihnen zu hören. Ein Pilotprojekt läuft vier Wochen mit einem Ihrer Teams; die Details finden Sie im angehängten PDF.",
    ],
    "e_nudge": [
        "ich wollte kurz nachfragen, ob Sie sich das Angebot schon ansehen konnten. Ich stelle es Ihrem Team auch gern vor.",
        "gibt es noch offene Fragen zu den Preisen? Den Pilotplatz halte ich bis Monatsende frei.",
    ],
    "cu_subject": [
        "{product}: Dashboards laden nicht",
        "Dringend: Berichte fehlerhaft seit heute früh",
        "Störung? Login bei {product} nicht möglich",
        "Ticket {ticket}: Export funktioniert nicht",
    ],
    "cu_first": [
        "Hallo {first},\n\nseit heute Morgen um 9 Uhr laden bei uns keine Dashboards mehr in {product}. Um 14 Uhr haben wir die Geschäftsleitungssitzung und brauchen die Zahlen. Können Sie bitte nachsehen?\n\nDanke und Gruß\n{me}\n{my_company}",
        "Guten Tag,\n\nder nächtliche Datenabgleich ist jetzt drei Nächte in Folge fehlgeschlagen, die Berichte zeigen noch die Zahlen der Vorwoche. Gibt es ein bekanntes Problem?\n\nMit freundlichen Grüßen\n{me}",
    ],
    "cu_nudge": [
        "Hallo {first}, gibt es schon etwas Neues? Wir kommen weiterhin nicht an unsere Berichte.",
        "ich hake noch einmal nach – die Dashboards sind bei uns immer noch nicht erreichbar.",
        "Entschuldigung, dass ich nochmal schreibe, aber kümmert sich schon jemand darum? Bei uns geht es weiterhin nicht.",
    ],
    "cu_nudge2": [
        "Ich schreibe jetzt zum dritten Mal. Wir sind seit zwei Tagen ohne Berichte. Bitte rufen Sie mich umgehend unter {phone} an.",
        "Ich habe immer noch nichts gehört. Können Sie das bitte eskalieren? Morgen tagt unser Aufsichtsrat.",
    ],
    "cu_thanks": [
        "Danke, jetzt funktioniert wieder alles!",
        "Bestätigt, die Dashboards laden wieder. Vielen Dank für die schnelle Hilfe.",
    ],
    "u_support_reply": [
        "Hallo {first},\n\ndanke für den Hinweis – wir schauen uns das gerade an und ich melde mich innerhalb einer Stunde.",
        "Hallo {first},\n\nentschuldigen Sie die Störung. Die Ursache ist gefunden, der Fix wird gerade ausgerollt.",
    ],
    "ap_subject": ["Bewerbung als {role}", "Bewerbung: {role} – {me}", "Ihre Stellenanzeige {role}"],
    "ap_first": [
        "Sehr geehrte/r {first},\n\nhiermit bewerbe ich mich auf die ausgeschriebene Stelle als {role}. Ich bringe vier Jahre Erfahrung mit Python, SQL und dbt mit, zuletzt bei einem Versicherer in Köln. Lebenslauf und Zeugnisse finden Sie im Anhang.\n\nÜber eine Einladung zum Gespräch freue ich mich.\n\nMit freundlichen Grüßen\n{me}",
        "Hallo {first},\n\nanbei meine Bewerbung für die Position {role}. Ich habe im Frühjahr meinen Master in Statistik abgeschlossen und arbeite seitdem an Prognosemodellen.\n\nViele Grüße\n{me}",
    ],
    "ap_nudge": [
        "Sehr geehrte/r {first},\n\nich wollte mich kurz nach dem Stand meiner Bewerbung als {role} erkundigen. Ich bin weiterhin sehr interessiert.\n\nMit freundlichen Grüßen\n{me}",
        "Hallo {first}, ich wollte nur sichergehen, dass meine Bewerbung angekommen ist. Vielen Dank und viele Grüße, {me_first}",
    ],
    "u_ap_reply": [
        "Hallo {first},\n\nvielen Dank für Ihre Bewerbung. Wir sichten diese Woche alle Unterlagen und melden uns bis Freitag."
    ],
    "jo_subject": [
        "Presseanfrage: Datenanalyse im Handel",
        "Anfrage für einen Beitrag in {outlet}",
        "Interviewanfrage {outlet}",
    ],
    "jo_first": [
        "Hallo {first},\n\nich schreibe für {outlet} einen Artikel darüber, wie mittelständische Händler Datenanalyse nutzen. Hätten Sie oder jemand aus Ihrem Team bis {weekday} Zeit für ein kurzes Interview?\n\nBeste Grüße\n{me}",
        "Guten Tag,\n\nfür einen Beitrag in {outlet} zum aktuellen Datenschutz-Urteil hätte ich gern eine Einschätzung von {company}. Redaktionsschluss ist {weekday} 12 Uhr.\n\nDanke und Gruß\n{me}",
    ],
    "jo_nudge": [
        "Hallo {first}, ich frage noch einmal nach – Redaktionsschluss ist morgen. Schon zwei Sätze würden helfen.",
        "Kurze Nachfrage, falls meine Mail untergegangen ist.",
    ],
    "le_subject": ["Angebotsanfrage {product}", "Preise für 40 Nutzer?", "Interesse an {product}"],
    "le_first": [
        "Hallo,\n\nwir suchen ein Analytics-Tool für unser Vertriebsteam mit 40 Personen und sind auf {product} gestoßen. Können Sie uns ein Angebot schicken? Gibt es eine Testphase?\n\nDanke\n{me}\n{my_company}",
        "Guten Tag {first},\n\nwir hatten uns kurz auf der Messe gesprochen. Wir hätten gern ein Angebot für {product} für etwa 25 Nutzer mit SSO.\n\nMit freundlichen Grüßen\n{me}",
    ],
    "le_nudge": [
        "Hallo {first}, gibt es schon ein Angebot? Wir möchten bis Monatsende entscheiden.",
        "Ich frage noch einmal wegen des Angebots nach – unser Budgetmeeting ist am {weekday}.",
    ],
    "u_le_reply": [
        "Hallo {first},\n\nvielen Dank für Ihr Interesse! Anbei das Angebot für 40 Lizenzen; die Testphase können wir jederzeit starten."
    ],
    "ve_subject": [
        "Ihre Anfrage über unsere Website",
        "Ihr Angebot Nr. {ticket}",
        "Rückmeldung zu Ihrer Anfrage",
    ],
    "ve_first": [
        "Hallo {first},\n\nvielen Dank für Ihre Anfrage über das Kontaktformular auf unserer Website. Anbei wie gewünscht das Angebot für den Datenkonnektor im Business-Tarif.\n\nViele Grüße\n{me}\n{my_company}",
        "Guten Tag {first},\n\nvielen Dank für Ihre Anfrage zu höhenverstellbaren Schreibtischen. Im Anhang finden Sie unser Angebot über 20 Stück inklusive Lieferung und Montage.\n\nMit freundlichen Grüßen\n{me}",
    ],
    "ve_nudge": [
        "Hallo {first}, ich wollte kurz nachfragen, ob unser Angebot zu Ihrer Anfrage passt.",
        "Gern passen wir das Angebot an, falls etwas nicht stimmt – geben Sie einfach Bescheid.",
    ],
    "fr_subject": ["Mittagessen?", "Kaffee?", "kurz", "Danke für gestern", "Feierabendbier?"],
    "fr_reply": [
        "Gerne!",
        "Klar, 12:30?",
        "Passt, bis dann.",
        "Diese Woche nicht, nächsten Dienstag?",
        "Danke, mache ich.",
    ],
    "fr_body": [
        "Hi {first}, Mittagessen?",
        "Hey {first}, Kaffee am Donnerstag? Bin in der Stadt.",
        "Danke für gestern, war schön!",
        "Feierabendbier am Freitag?",
        "Alles Gute zum Geburtstag, {first}!",
    ],
    "pa_subject": [
        "Vertragsverlängerung",
        "Notizen zum Termin heute",
        "Datenlieferung Q4",
        "Nächste Schritte Integration",
    ],
    "pa_out": [
        "Hallo {first},\n\ndanke für das Gespräch heute. Wie besprochen anbei der Entwurf der Verlängerung – schaffen Sie es bis {weekday}?",
        "Hallo {first},\n\nkönnten Sie uns den Q4-Datenexport schicken, sobald er fertig ist? Gleiches Format wie beim letzten Mal.",
    ],
    "pa_in": [
        "Hallo {first},\n\ndanke, passt für uns. Zwei Anmerkungen zu Abschnitt 4, ansonsten können wir unterschreiben.",
        "Danke {first}, alles klar. Die Datei kommt am {weekday}.",
    ],
    "nc_subject": [
        "Schön, Sie auf dem Kongress getroffen zu haben",
        "Folien vom Data Summit",
        "Nachtrag zur Konferenz",
    ],
    "nc_body": [
        "Hallo {first},\n\nschön, dass wir uns gestern auf dem Summit kennengelernt haben – hier wie versprochen die Folien meines Vortrags.\n\nViele Grüße\n{me}",
        "Hallo {first},\n\ndanke für das nette Gespräch beim Konferenzdinner. Anbei die Folien und der Link zum Paper, über das wir gesprochen haben.\n\nBeste Grüße\n{me_first}",
    ],
    "nc_reply": ["Danke {first}, hat mich auch gefreut! Ich schaue mir die Folien diese Woche an."],
    "li_accept_subject": ["{name} hat Ihre Einladung angenommen", "Sie sind jetzt mit {name} vernetzt"],
    "li_accept_body": [
        "{name} hat Ihre Einladung angenommen. Beginnen Sie eine Unterhaltung.\n\nProfil ansehen: {link}\n\nSie erhalten Benachrichtigungen zu Einladungen.\nAbbestellen: {link}\n\n© LinkedIn Corporation"
    ],
    "in_subject": [
        "Folien für Donnerstag",
        "Teamevent",
        "Kannst du drüberschauen?",
        "Q4-Zahlen",
        "Urlaubsvertretung",
    ],
    "in_body": [
        "Hi {first},\n\nkannst du vor Donnerstag kurz über die Folien schauen? Vor allem 5-9.\n\nDanke\n{me_first}",
        "Hallo zusammen,\n\ndie Q4-Zahlen liegen im Teamordner. Bitte prüft eure Zeilen bis {weekday}.",
        "{first}, kannst du am Montag meine Termine übernehmen? Bin krank.",
    ],
    "nl_names": ["Der Daten-Newsletter", "Analytics kompakt", "Produkt-Update", "Tech-Briefing"],
    "nl_subject": ["{nl} #{n}: {topic}", "Diese Woche: {topic}", "{topic} – und mehr"],
    "nl_intro": [
        "Willkommen zur neuen Ausgabe.",
        "Das hat uns diese Woche beschäftigt.",
        "Danke fürs Lesen – hier ist Ausgabe {n}.",
    ],
    "nl_promo": [
        "Webinar am {weekday}: Prognosen mit modernen Datenplattformen – jetzt anmelden",
        "Neu: unser Prognosemodul ist live. Vereinbaren Sie eine Demo",
        "20 % Rabatt auf Jahrespläne bis Freitag",
        "Letzte Chance auf Frühbucher-Tickets für unsere Anwenderkonferenz",
    ],
    "nl_item": [
        "Warum Data Contracts sich durchsetzen",
        "Fünf Dashboards, die uns begeistert haben",
        "Was die KI-Verordnung für Analysten bedeutet",
        "Veranstaltungen im November",
    ],
    "nl_footer": [
        "Sie erhalten diesen Newsletter, weil Sie sich auf {brand_host} angemeldet haben. Abmelden: {link}"
    ],
    "tx_order_subject": ["Ihre Bestellung {order} ist eingegangen", "Bestellbestätigung {order}"],
    "tx_order_body": [
        "Hallo {first},\n\nvielen Dank für Ihre Bestellung {order}. Gesamtbetrag: {amount}. Wir informieren Sie, sobald sie versandt wird.\n\nZur Bestellung: {link}"
    ],
    "tx_ship_subject": ["Ihre Bestellung {order} wurde versandt", "Ihr Paket ist unterwegs"],
    "tx_ship_body": [
        "Hallo {first}, Ihre Bestellung {order} ist unterwegs und kommt voraussichtlich am {weekday}. Sendungsverfolgung: {link}"
    ],
    "tx_invoice_subject": ["Ihre Rechnung {order}", "Zahlungsbestätigung", "Rechnung {order} von {brand}"],
    "tx_invoice_body": [
        "Guten Tag {first},\n\nIhre Rechnung {order} über {amount} steht in Ihrem Kundenkonto bereit. Der Betrag wird per Lastschrift eingezogen.\n\n{link}"
    ],
    "tx_reset_subject": ["Passwort zurücksetzen", "Ihr Anmeldecode", "Sicherheitshinweis: neue Anmeldung"],
    "tx_reset_body": [
        "Hallo {first},\n\nwir haben eine Anfrage zum Zurücksetzen Ihres Passworts erhalten. Der Link ist 30 Minuten gültig: {link}\n\nFalls Sie das nicht waren, ignorieren Sie diese E-Mail."
    ],
    "ca_summary": [
        "BLOCKER: Q4-Planung",
        "Quartalsgespräch",
        "Jour fixe {first} / {me_first}",
        "Projekt-Kickoff",
    ],
    "ca_body": [
        "{me} hat Sie eingeladen: {summary}\nWann: {weekday} 10:00-11:00\nTeilnehmen: {link}",
        "Einladung: {summary}\n{weekday}, 14:00 - 15:00\nBitte zusagen oder absagen.",
        "Ich blocke den Termin schon mal für {summary} – Agenda folgt.",
    ],
}
